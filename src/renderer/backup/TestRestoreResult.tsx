/**
 * What a test restore found (backup:testRestore): the set restored, what check counted in the copy, and that
 * the temporary folder is gone — or check's problems when the copy is not sound.
 */
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TestRestoreReport } from '../../shared/model';
import { formatDateTime } from '../format';
import { formatBytes } from './units';

export function TestRestoreResult({ report }: { report: TestRestoreReport }) {
  const { t } = useTranslation();
  const facts = {
    setId: report.setId,
    createdAt: formatDateTime(report.createdAt),
    documents: report.check.counts.documents,
    pages: report.check.counts.pages,
    events: report.check.counts.auditEvents,
    size: formatBytes(report.bytes),
    seconds: report.seconds,
  };
  const removed = report.removed ? t('backupDesk.testRestore.removed') : t('backupDesk.testRestore.notRemoved');
  if (report.check.ok) {
    return (
      <Alert className="test-restore-result" data-ok="true" type="success" showIcon title={t('backupDesk.testRestore.passed', facts)} description={removed} />
    );
  }
  return (
    <Alert
      className="test-restore-result"
      data-ok="false"
      type="error"
      showIcon
      title={t('backupDesk.testRestore.failed', { ...facts, count: report.check.problems.length })}
      description={
        <>
          <ul>
            {report.check.problems.map((problem, index) => (
              <li key={index}>{problem.message}</li>
            ))}
          </ul>
          {removed}
        </>
      }
    />
  );
}
