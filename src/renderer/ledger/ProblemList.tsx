/** Bad rows of an import file, each with its line, field and the core's reason (the problem code in words). */
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LedgerRowProblem } from '../../shared/model';

export function ProblemList({ problems, className }: { problems: LedgerRowProblem[]; className: string }) {
  const { t } = useTranslation();
  return (
    <Table<LedgerRowProblem>
      className={className}
      size="small"
      rowKey={(problem) => `${problem.line}-${problem.field ?? ''}-${problem.problem}`}
      dataSource={problems}
      pagination={problems.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      columns={[
        { key: 'line', title: t('ledgerUi.import.line'), dataIndex: 'line', width: 60 },
        { key: 'slipNo', title: t('ledgerUi.fields.slipNo'), dataIndex: 'slipNo', width: 140 },
        { key: 'field', title: t('ledgerUi.import.field'), width: 120, render: (_, problem) => (problem.field ? t(`ledgerUi.fields.${problem.field}`) : '') },
        { key: 'problem', title: t('ledgerUi.import.problem'), width: 150, render: (_, problem) => t(`ledgerUi.problems.${problem.problem}`) },
        { key: 'reason', title: t('ledgerUi.import.reason'), dataIndex: 'reason' },
      ]}
    />
  );
}
