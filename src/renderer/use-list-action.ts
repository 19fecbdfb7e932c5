/**
 * Runs a change on a list screen (records, users): on success a confirmation and a reload of the screen's list, on failure
 * the error in the user's language. Resolves whether it succeeded, so a dialog knows whether to close.
 */
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from './format';

export function useListAction(reload: () => void): (work: () => Promise<unknown>, done: string) => Promise<boolean> {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return async (work, done) => {
    try {
      await work();
      void message.success(done);
      reload();
      return true;
    } catch (reason) {
      void message.error(errorText(t, reason));
      return false;
    }
  };
}
