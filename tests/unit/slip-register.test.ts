/**
 * bench:ocr's customer register (bench/slip-register.ts): every labelled customer with its labelled signer and
 * invented colleagues, plus invented customers, the same on every run and never reusing a labelled name.
 */
import { describe, expect, it } from 'vitest';
import { slipRegister } from '../../bench/slip-register';

const SLIPS = [
  { customer: '成都云帆商贸有限公司', signer: '陶立群' },
  { customer: 'Harbor Lane Textiles Ltd.', signer: 'Nora Quill' },
  { customer: '成都云帆商贸有限公司', signer: '祁向东' },
  { customer: 'Fenwick Tooling LLC', signer: 'Pan Yiming' },
];
const LABELLED_NAMES = new Set(SLIPS.flatMap((slip) => [slip.customer, slip.signer]));
const HAN_ONLY = /^\p{Script=Han}+$/u;
const LATIN_NAME = /^[A-Z][a-z]+ [A-Z][a-z]+$/;

describe('slipRegister', () => {
  it('lists every labelled customer once, with its labelled signers first and two others after them', () => {
    const register = slipRegister(SLIPS);
    const byName = new Map(register.map((customer) => [customer.name, customer]));
    expect(byName.get('成都云帆商贸有限公司')?.signers?.slice(0, 2)).toEqual(['陶立群', '祁向东']);
    expect(byName.get('成都云帆商贸有限公司')?.signers).toHaveLength(4);
    expect(byName.get('Harbor Lane Textiles Ltd.')?.signers?.[0]).toBe('Nora Quill');
    expect(byName.get('Fenwick Tooling LLC')?.signers).toHaveLength(3);
    expect(register.filter((customer) => customer.name === '成都云帆商贸有限公司')).toHaveLength(1);
  });

  it('gives Chinese customers Chinese signers and English customers Latin ones', () => {
    for (const customer of slipRegister(SLIPS)) {
      const invented = customer.signers!.filter((name) => !LABELLED_NAMES.has(name));
      expect(invented.length).toBeGreaterThanOrEqual(2);
      for (const name of invented) expect(name).toMatch(/\p{Script=Han}/u.test(customer.name) ? HAN_ONLY : LATIN_NAME);
    }
  });

  it('adds customers no slip names, half Chinese and half English, each with its own signers', () => {
    const others = slipRegister(SLIPS, { otherCustomers: 6, signersPerOtherCustomer: 2 }).filter((customer) => !LABELLED_NAMES.has(customer.name));
    expect(others).toHaveLength(6);
    expect(others.filter((customer) => /\p{Script=Han}/u.test(customer.name))).toHaveLength(3);
    for (const customer of others) expect(customer.signers).toHaveLength(2);
  });

  it('never invents a labelled name or the same name twice', () => {
    const register = slipRegister(SLIPS, { otherSigners: 5, otherCustomers: 40 });
    const invented = register.flatMap((customer) => [customer.name, ...customer.signers!]).filter((name) => !LABELLED_NAMES.has(name));
    expect(new Set(invented).size).toBe(invented.length);
    const everyName = register.flatMap((customer) => [customer.name, ...customer.signers!]);
    for (const labelled of LABELLED_NAMES) expect(everyName.filter((name) => name === labelled)).toHaveLength(1);
  });

  it('is the same register on every call, and another seed gives another one', () => {
    expect(slipRegister(SLIPS)).toEqual(slipRegister([...SLIPS]));
    expect(slipRegister(SLIPS, { seed: 7 })).not.toEqual(slipRegister(SLIPS));
  });

  it('lists customers by name with ids in that order, as the archive does', () => {
    const register = slipRegister(SLIPS);
    const names = register.map((customer) => customer.name);
    expect(names).toEqual([...names].sort());
    expect(register.map((customer) => customer.id)).toEqual(register.map((_, index) => index + 1));
  });
});
