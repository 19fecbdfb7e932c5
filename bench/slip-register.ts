/**
 * The customer register a real office would have when the slips arrive, for bench:ocr's customer and signer
 * suggestions (the app passes its register, customers with their signers' names, to extraction: ocr-queue.ts,
 * Archive.customers()). Every labelled customer is in it with its labelled signers and other people who sign
 * for it, and customers no slip names, with signers of their own, stand beside them. The others come from
 * fixed name pools through a seeded generator, Chinese names where the customer's name is Chinese and Latin
 * ones (pinyin and Western) where it is not, so every run and every pipeline gets the same register and
 * nothing in it is taken from a page's text.
 */
import type { CustomerRecord } from '../src/shared/model';
// mulberry32, seeded: the register is the same on every run.
import { rng } from './search-corpus';

const SURNAMES_ZH = [
  ...'王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严戴莫孔汤',
];
const GIVEN_ZH = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '杰',
  '娟',
  '涛',
  '超',
  '秀兰',
  '霞',
  '平',
  '刚',
  '桂英',
  '建华',
  '志强',
  '晓东',
  '文',
  '斌',
  '婷',
  '宇',
  '浩然',
  '子轩',
  '欣怡',
  '思远',
  '红梅',
  '国庆',
  '春梅',
  '玉兰',
  '建国',
  '立新',
  '雪梅',
  '志明',
  '丽萍',
  '海波',
];
const SURNAMES_PINYIN = [
  'Wang',
  'Li',
  'Zhang',
  'Liu',
  'Chen',
  'Yang',
  'Huang',
  'Zhao',
  'Zhou',
  'Wu',
  'Xu',
  'Sun',
  'Ma',
  'Zhu',
  'Hu',
  'Lin',
  'He',
  'Gao',
  'Luo',
  'Zheng',
  'Tang',
  'Song',
  'Deng',
  'Feng',
];
const GIVEN_PINYIN = [
  'Wei',
  'Fang',
  'Lei',
  'Jun',
  'Yong',
  'Haoran',
  'Zixuan',
  'Xinyi',
  'Jianhua',
  'Zhiqiang',
  'Xiaodong',
  'Meiling',
  'Yuting',
  'Hao',
  'Bo',
  'Lina',
  'Qiang',
  'Min',
  'Jie',
  'Ping',
];
const GIVEN_WESTERN = [
  'James',
  'Sarah',
  'Michael',
  'Emily',
  'David',
  'Laura',
  'Robert',
  'Anna',
  'Peter',
  'Helen',
  'Mark',
  'Julia',
  'Daniel',
  'Grace',
  'Simon',
  'Claire',
];
const SURNAMES_WESTERN = [
  'Miller',
  'Johnson',
  'Smith',
  'Brown',
  'Taylor',
  'Wilson',
  'Evans',
  'Walker',
  'Wright',
  'Green',
  'Baker',
  'Hall',
  'Turner',
  'Hughes',
  'Carter',
  'Morris',
];
const CITIES_ZH = ['上海', '广州', '杭州', '成都', '天津', '苏州', '长沙', '合肥', '济南', '大连', '重庆', '无锡'];
const BRANDS_ZH = ['华信', '永泰', '鑫源', '瑞达', '金鼎', '宏远', '博远', '新锐', '安捷', '中恒', '德润', '汇丰源'];
const TRADES_ZH = ['电子科技', '机械设备', '食品', '物流', '贸易', '化工', '建材', '印刷', '塑料制品', '五金', '家具', '医药'];
const CITIES_EN = ['Shanghai', 'Guangzhou', 'Hangzhou', 'Chengdu', 'Tianjin', 'Suzhou', 'Changsha', 'Hefei', 'Dalian', 'Wuxi'];
const BRANDS_EN = ['Huaxin', 'Yongtai', 'Xinyuan', 'Ruida', 'Jinding', 'Hongyuan', 'Boyuan', 'Anjie', 'Zhongheng', 'Derun'];
const TRADES_EN = ['Electronics', 'Machinery', 'Foods', 'Logistics', 'Trading', 'Chemicals', 'Building Materials', 'Printing', 'Plastics', 'Hardware'];

const isChinese = (name: string) => /\p{Script=Han}/u.test(name);

export interface LabelledSlip {
  customer?: string | undefined;
  signer?: string | undefined;
}

export interface RegisterOptions {
  /** Other people registered as signing for each labelled customer. */
  otherSigners?: number;
  /** Customers no slip names, half with Chinese names, half with English ones. */
  otherCustomers?: number;
  /** Signers of each of those customers. */
  signersPerOtherCustomer?: number;
  seed?: number;
}

export function slipRegister(slips: LabelledSlip[], options: RegisterOptions = {}): CustomerRecord[] {
  const { otherSigners = 2, otherCustomers = 20, signersPerOtherCustomer = 3, seed = 21 } = options;
  const random = rng(seed);
  const pick = <T>(pool: readonly T[]): T => pool[Math.floor(random() * pool.length)]!;
  const labelled = new Map<string, Set<string>>();
  for (const slip of slips) {
    if (!slip.customer) continue;
    const signers = labelled.get(slip.customer) ?? new Set<string>();
    if (slip.signer) signers.add(slip.signer);
    labelled.set(slip.customer, signers);
  }
  // No invented name is a labelled one, so a suggestion that matches a label was that label's register entry.
  const taken = new Set([...labelled.keys(), ...[...labelled.values()].flatMap((signers) => [...signers])]);
  const fresh = (make: () => string): string => {
    for (;;) {
      const name = make();
      if (!taken.has(name)) {
        taken.add(name);
        return name;
      }
    }
  };
  const personFor = (customer: string) => () => {
    if (isChinese(customer)) return pick(SURNAMES_ZH) + pick(GIVEN_ZH);
    return random() < 0.5 ? `${pick(SURNAMES_PINYIN)} ${pick(GIVEN_PINYIN)}` : `${pick(GIVEN_WESTERN)} ${pick(SURNAMES_WESTERN)}`;
  };
  const register: Omit<CustomerRecord, 'id'>[] = [...labelled].map(([customer, signers]) => ({
    name: customer,
    aliases: [],
    signers: [...signers, ...Array.from({ length: otherSigners }, () => fresh(personFor(customer)))],
  }));
  for (let index = 0; index < otherCustomers; index += 1) {
    const name =
      index % 2 === 0
        ? fresh(() => `${pick(CITIES_ZH)}${pick(BRANDS_ZH)}${pick(TRADES_ZH)}有限公司`)
        : fresh(() => `${pick(CITIES_EN)} ${pick(BRANDS_EN)} ${pick(TRADES_EN)} Co., Ltd.`);
    register.push({ name, aliases: [], signers: Array.from({ length: signersPerOtherCustomer }, () => fresh(personFor(name))) });
  }
  // In the order the archive lists its customers (by name, SQLite's binary collation): ties rank in it.
  return register.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((customer, index) => ({ id: index + 1, ...customer }));
}
