/** The archive's slip-number patterns: one input per pattern, checked as the clerk types (same rule as the core). */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { slipPatternProblem, type PatternProblem } from '../../shared/settings';

export function patternMessageKey(problem: PatternProblem): string {
  return `archiveSettings.patternProblem.${problem.kind}`;
}

export function SlipPatternsEditor({ value, onChange }: { value: string[]; onChange: (patterns: string[]) => void }) {
  const { t } = useTranslation();
  const set = (index: number, pattern: string) => onChange(value.map((old, i) => (i === index ? pattern : old)));
  return (
    <div className="slip-patterns">
      {value.map((pattern, index) => {
        const problem = pattern === '' ? null : slipPatternProblem(pattern);
        return (
          <Form.Item
            key={index}
            className="slip-pattern"
            validateStatus={problem ? 'error' : undefined}
            help={
              problem ? (
                <span className="pattern-error">{t(patternMessageKey(problem), problem.kind === 'syntax' ? { detail: problem.detail } : {})}</span>
              ) : undefined
            }
          >
            <Space.Compact style={{ width: '100%' }}>
              <Input
                className="mono"
                aria-label={t('archiveSettings.patternLabel', { n: index + 1 })}
                value={pattern}
                onChange={(event) => set(index, event.target.value)}
              />
              <Button icon={<DeleteOutlined />} aria-label={t('archiveSettings.removePattern')} onClick={() => onChange(value.filter((_, i) => i !== index))} />
            </Space.Compact>
          </Form.Item>
        );
      })}
      <Button icon={<PlusOutlined />} onClick={() => onChange([...value, ''])}>
        {t('archiveSettings.addPattern')}
      </Button>
    </div>
  );
}

/** Patterns as they are sent: empty rows dropped; null when one still has a problem. */
export function patternsToSave(patterns: string[]): string[] | null {
  const kept = patterns.map((pattern) => pattern.trim()).filter(Boolean);
  return kept.some((pattern) => slipPatternProblem(pattern)) ? null : kept;
}
