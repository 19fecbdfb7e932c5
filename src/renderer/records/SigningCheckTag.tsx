/**
 * The filing form's authorization check: green (the signer was authorized for this customer, type and
 * amount on the signing date), amber (nothing on file to judge by), red (expired, revoked, superseded or out
 * of scope). Asked again whenever the form's values change; the reason is shown translated.
 */
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SigningCheck } from '../../shared/records';
import { useApp } from '../context';

export interface SlipValues {
  ref: string;
  customer: string;
  /** The form's signer; absent where the form has no signer field (the stored one counts). */
  signer?: string;
  type: string;
  signedDate: string;
  amount: string;
}

const COLOURS = { green: 'success', amber: 'warning', red: 'error' } as const;
const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
const isAmount = (value: string) => /^\d{1,13}(\.\d{1,2})?$/.test(value.trim());

export function SigningCheckTag({ values }: { values: SlipValues }) {
  const { t } = useTranslation();
  const { platform, may } = useApp();
  const [check, setCheck] = useState<SigningCheck | null>(null);
  const { ref, customer, signer, type, signedDate, amount } = values;

  useEffect(() => {
    if (!may('authorizations:check')) return;
    let current = true;
    // Half-typed dates and amounts are left to the stored values until they are whole.
    platform.client
      .call('authorizations:check', {
        ref,
        customer: orNull(customer),
        ...(signer === undefined ? {} : { signer: orNull(signer) }),
        type: orNull(type),
        ...(signedDate === '' || isDate(signedDate) ? { signedDate: orNull(signedDate) } : {}),
        ...(amount === '' || isAmount(amount) ? { amount: orNull(amount) } : {}),
      })
      .then(
        (answer) => current && setCheck(answer),
        () => current && setCheck(null),
      );
    return () => {
      current = false;
    };
  }, [platform, may, ref, customer, signer, type, signedDate, amount]);

  if (!check) return null;
  return (
    <Tooltip title={check.message}>
      <Tag color={COLOURS[check.verdict]} className={`signing-check signing-check-${check.verdict}`} data-reason={check.reason}>
        {t(`signingCheck.${check.verdict}`)} · {t(`signingCheck.reasons.${check.reason}`)}
      </Tag>
    </Tooltip>
  );
}
