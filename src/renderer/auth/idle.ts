/**
 * Calls `onIdle` once when the window has had no input for `minutes`. Input restarts the count; the check
 * runs every few seconds, so a lock comes at most that much after the limit.
 */
import { useEffect, useRef } from 'react';

const INPUT_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const;
const CHECK_EVERY_MS = 5_000;

export function useIdleTimer(minutes: number, enabled: boolean, onIdle: () => void): void {
  const lastInput = useRef(Date.now());
  const callback = useRef(onIdle);
  callback.current = onIdle;

  useEffect(() => {
    if (!enabled) return;
    lastInput.current = Date.now();
    const touch = () => {
      lastInput.current = Date.now();
    };
    for (const name of INPUT_EVENTS) window.addEventListener(name, touch, { passive: true, capture: true });
    const timer = window.setInterval(() => {
      if (Date.now() - lastInput.current >= minutes * 60_000) callback.current();
    }, CHECK_EVERY_MS);
    return () => {
      for (const name of INPUT_EVENTS) window.removeEventListener(name, touch, { capture: true });
      window.clearInterval(timer);
    };
  }, [minutes, enabled]);
}
