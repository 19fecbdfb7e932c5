/**
 * Window-level keyboard shortcuts. Each screen registers what it handles while mounted; the labels shown in
 * tooltips come from the same strings (e.g. "Ctrl+S"), so what is shown is what works. Cmd counts as Ctrl
 * on macOS.
 */
import { useEffect, useRef } from 'react';

export interface Hotkey {
  /** e.g. 'ctrl+s', 'alt+1', 'f5', 'ctrl+enter' */
  combo: string;
  run: (event: KeyboardEvent) => void;
}

export function comboOf(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('ctrl');
  if (event.altKey) parts.push('alt');
  if (event.shiftKey) parts.push('shift');
  // Alt+digit gives odd characters on some layouts: use the physical key for digits and letters.
  const key = /^Digit\d$/.test(event.code) ? event.code.slice(5) : /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
  parts.push(key);
  return parts.join('+');
}

export function useHotkeys(hotkeys: Hotkey[], enabled = true): void {
  const current = useRef(hotkeys);
  current.current = hotkeys;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (event: KeyboardEvent) => {
      const combo = comboOf(event);
      const match = current.current.find((hotkey) => hotkey.combo === combo);
      if (!match) return;
      event.preventDefault();
      match.run(event);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
