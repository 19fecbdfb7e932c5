/**
 * A seeded, deterministic synthetic archive of mixed Chinese/English slip text for the search benchmarks,
 * and the fixed query mix run against it. Same seed → same documents and queries.
 */

export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建文斌宇浩凯健俊帆';
const PLACES = ['华南', '深圳', '广州', '东莞', '佛山', '上海', '北京', '杭州', '苏州', '宁波', '厦门', '成都', '武汉', '天津', '青岛', '南京'];
const TRADES = ['贸易', '电子', '物流', '五金', '机械', '建材', '食品', '纺织', '化工', '包装', '医药', '塑胶', '家具', '照明'];
const SUFFIXES = ['有限公司', '股份有限公司', '商行', '经营部', '实业有限公司'];
const LATIN_CUSTOMERS = ['Acme Trading', 'Pacific Rim Logistics', 'Golden Bridge Ltd', 'Evergreen Supplies', 'Northstar Electronics', 'Blue Harbor Foods'];
const PHRASES = [
  '货物已签收',
  '包装完好',
  '数量核对无误',
  '请签字确认',
  '收货人签字',
  '送货单',
  '签收单',
  '回单',
  '合同编号',
  '甲方',
  '乙方',
  '盖章',
  '发票已开具',
  '付款方式',
  '月结三十天',
  '运费到付',
  '如有破损请当场提出',
  '验收合格',
  '退货',
  '补发',
  '仓库',
  '司机',
  '车牌号',
  '备注',
  '日期',
  '金额',
  '单价',
  '数量',
  '规格型号',
  '纸箱',
  '托盘',
  '客户联',
  '存根联',
  '财务联',
  '已核对',
  '加急',
];
const WORDS = [
  'pallet',
  'carton',
  'received',
  'delivered',
  'damaged',
  'invoice',
  'signed',
  'warehouse',
  'driver',
  'quantity',
  'checked',
  'return',
  'urgent',
  'contract',
  'payment',
  'freight',
  'sample',
  'batch',
  'order',
  'receipt',
  'seal',
  'stamp',
  'copy',
  'original',
];
export const TYPES = ['delivery_receipt', 'signed_back', 'authorization', 'contract', 'invoice', 'other'] as const;
const TAGS = ['urgent', '加急', 'export', '月结', 'vip', 'review', '补单', 'q1', 'q2'];
const SLIP_PREFIXES = ['SO', 'DN', 'PO', 'CT', 'INV'];

export interface CorpusCustomer {
  name: string;
  aliases: string[];
}

export interface CorpusDocument {
  id: number;
  title: string;
  notes: string;
  customer: number | null;
  type: (typeof TYPES)[number] | null;
  signedDate: string | null;
  slipNo: string | null;
  amountMinor: number | null;
  signer: string | null;
  tags: string[];
  pages: string[];
  voided: boolean;
}

export interface Corpus {
  customers: CorpusCustomer[];
  documents: CorpusDocument[];
}

export function generateCorpus(count: number, seed = 20260417): Corpus {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const person = () => pick([...SURNAMES]) + pick([...GIVEN]) + (random() < 0.5 ? pick([...GIVEN]) : '');
  const customers: CorpusCustomer[] = [];
  const names = new Set<string>();
  while (customers.length < 400) {
    const name = random() < 0.08 ? `${pick(LATIN_CUSTOMERS)} ${customers.length}` : pick(PLACES) + pick(PLACES).slice(0, 1) + pick(TRADES) + pick(SUFFIXES);
    if (names.has(name)) continue;
    names.add(name);
    customers.push({ name, aliases: random() < 0.3 ? [name.slice(0, 4)] : [] });
  }
  const sentence = () => {
    const parts: string[] = [];
    const length = 3 + Math.floor(random() * 6);
    for (let i = 0; i < length; i += 1) parts.push(random() < 0.6 ? pick(PHRASES) : pick(WORDS));
    return parts.join(random() < 0.5 ? '，' : ' ');
  };
  const documents: CorpusDocument[] = [];
  for (let id = 1; id <= count; id += 1) {
    const year = 2023 + Math.floor(random() * 4);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const prefix = pick(SLIP_PREFIXES);
    const slipNo = random() < 0.85 ? `${prefix}-${year}-${String(month).padStart(2, '0')}${String(Math.floor(random() * 100)).padStart(2, '0')}` : null;
    const type = random() < 0.9 ? pick(TYPES) : null;
    const pageCount = random() < 0.7 ? 1 : 2;
    documents.push({
      id,
      title: `${pick(['送货单', '签回单', '合同', '发票', 'Delivery note', 'Receipt'])} ${slipNo ?? id}`,
      notes: random() < 0.5 ? sentence() : '',
      customer: random() < 0.92 ? Math.floor(random() * customers.length) : null,
      type,
      signedDate: random() < 0.95 ? `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` : null,
      slipNo,
      amountMinor: random() < 0.9 ? Math.floor(random() * 5_000_000) : null,
      signer: random() < 0.8 ? person() : null,
      tags: random() < 0.4 ? [pick(TAGS)] : [],
      pages: Array.from({ length: pageCount }, () => `${sentence()}\n${sentence()}\n收货人：${person()}`),
      voided: random() < 0.03,
    });
  }
  return { customers, documents };
}

export type QueryKind = 'cjk-1' | 'cjk-2' | 'phrase' | 'english' | 'slip-prefix' | 'fields+date' | 'no-hit';

export interface BenchQuery {
  kind: QueryKind;
  /** In our query language. */
  query: string;
  /** The same search written by hand as a raw FTS5 MATCH (plus SQL filters for field queries): the floor. */
  floorSql: string;
  floorParams: unknown[];
  /** Brute-force truth over the generated corpus, written from the documented semantics (not from the index). */
  matches: (doc: DocumentView) => boolean;
}

/** A document as the truth checks read it: its raw fields, and each indexed text field lower-cased once. */
export interface DocumentView {
  doc: CorpusDocument;
  /** Customer name + aliases, as the customer: field holds them. */
  customerText: string;
  /** Every indexed text field, lower-cased, one entry per field (a match never spans two fields). */
  lowered: string[];
}

function viewOf(doc: CorpusDocument, customers: CorpusCustomer[]): DocumentView {
  const customer = doc.customer === null ? null : customers[doc.customer]!;
  const customerText = customer ? [customer.name, ...customer.aliases].join(' / ') : '';
  const fields = [doc.title, doc.notes, ...doc.pages, customerText, doc.slipNo ?? '', doc.signer ?? '', doc.tags.join('\n')];
  return { doc, customerText, lowered: fields.map((text) => text.toLowerCase()) };
}

/**
 * Every query's brute-force result set (document ids, ascending) in one pass over the corpus: each document is
 * prepared once and tested against every distinct query, instead of one corpus scan per query (which at a
 * million documents did not finish in 17 minutes).
 */
export function bruteForceTruth(corpus: Corpus, queries: BenchQuery[]): Map<string, number[]> {
  const distinct = [...new Map(queries.map((query) => [query.query, query])).values()];
  const truth = new Map(distinct.map((query) => [query.query, [] as number[]]));
  const sets = distinct.map((query) => truth.get(query.query)!);
  for (const doc of corpus.documents) {
    const view = viewOf(doc, corpus.customers);
    for (let index = 0; index < distinct.length; index += 1) {
      if (distinct[index]!.matches(view)) sets[index]!.push(doc.id);
    }
  }
  return truth;
}

const FLOOR_PAGE = 'SELECT rowid FROM search_index WHERE search_index MATCH ? ORDER BY rank LIMIT 20';
const CJK_RANGE = '\\u3400-\\u9fff';

function wordRegex(word: string): RegExp {
  return new RegExp(`(^|[^a-z0-9${CJK_RANGE}])${word}($|[^a-z0-9${CJK_RANGE}])`);
}

export function queryMix(corpus: Corpus, seed = 7): BenchQuery[] {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const queries: BenchQuery[] = [];
  const anyField = (test: (text: string) => boolean) => (view: DocumentView) => !view.doc.voided && view.lowered.some(test);
  const allCjk = [...new Set([...PHRASES.join(''), ...SURNAMES, ...TRADES.join('')])];
  for (let i = 0; i < 10; i += 1) {
    const char = pick(allCjk);
    queries.push({ kind: 'cjk-1', query: char, floorSql: FLOOR_PAGE, floorParams: [`"${char}" *`], matches: anyField((text) => text.includes(char)) });
  }
  for (let i = 0; i < 50; i += 1) {
    const source = pick([...PHRASES, ...PLACES, ...TRADES]);
    const start = Math.floor(random() * (source.length - 1));
    const pair = source.slice(start, start + 2);
    queries.push({ kind: 'cjk-2', query: pair, floorSql: FLOOR_PAGE, floorParams: [`"${pair}"`], matches: anyField((text) => text.includes(pair)) });
  }
  for (let i = 0; i < 40; i += 1) {
    const phrase = pick(PHRASES.filter((p) => p.length >= 3));
    const bigrams = Array.from({ length: phrase.length - 1 }, (_, k) => `"${phrase.slice(k, k + 2)}"`).join(' + ');
    queries.push({ kind: 'phrase', query: `"${phrase}"`, floorSql: FLOOR_PAGE, floorParams: [bigrams], matches: anyField((text) => text.includes(phrase)) });
  }
  for (let i = 0; i < 40; i += 1) {
    const word = pick(WORDS);
    const second = random() < 0.4 ? pick(WORDS) : null;
    const query = second ? `${word} ${second}` : word;
    const first = wordRegex(word);
    const other = second === null ? null : wordRegex(second);
    queries.push({
      kind: 'english',
      query,
      floorSql: FLOOR_PAGE,
      floorParams: [second ? `"${word}" AND "${second}"` : `"${word}"`],
      matches: (view) => !view.doc.voided && view.lowered.some((text) => first.test(text)) && (other === null || view.lowered.some((text) => other.test(text))),
    });
  }
  for (let i = 0; i < 30; i += 1) {
    const prefix = pick(SLIP_PREFIXES);
    const year = 2023 + Math.floor(random() * 4);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const lower = prefix.toLowerCase();
    const pattern = new RegExp(`(^|[^a-z0-9${CJK_RANGE}])${lower}[^a-z0-9${CJK_RANGE}]+${year}[^a-z0-9${CJK_RANGE}]+${month}`);
    queries.push({
      kind: 'slip-prefix',
      query: `${prefix}-${year}-${month}*`,
      floorSql: FLOOR_PAGE,
      floorParams: [`"${lower}" + "${year}" + "${month}" *`],
      matches: anyField((text) => pattern.test(text)),
    });
  }
  for (let i = 0; i < 30; i += 1) {
    const customer = pick(corpus.customers.filter((c) => !/[a-z]/i.test(c.name)));
    const fragment = customer.name.slice(0, 2);
    const year = 2023 + Math.floor(random() * 4);
    const from = `${year}-01-01`;
    const to = `${year}-06-30`;
    const type = pick(TYPES);
    const withAmount = random() < 0.5;
    queries.push({
      kind: 'fields+date',
      query: `customer:${fragment} date:${from}..${to}${withAmount ? ' amount:>10000' : ''} type:${type}`,
      floorSql: `SELECT d.id FROM search_index JOIN documents d ON d.id = search_index.rowid WHERE search_index MATCH ? AND d.status <> 'voided' AND d.type_code = ? AND d.signed_date >= ? AND d.signed_date <= ?${withAmount ? ' AND d.amount_minor > 1000000' : ''} ORDER BY rank LIMIT 20`,
      floorParams: [`{customer} : "${fragment}"`, type, from, to],
      matches: ({ doc, customerText }) => {
        if (doc.voided || doc.customer === null || doc.type !== type || doc.signedDate === null) return false;
        return customerText.includes(fragment) && doc.signedDate >= from && doc.signedDate <= to && (!withAmount || (doc.amountMinor ?? 0) > 1_000_000);
      },
    });
  }
  const absent = ['麒麟', 'zebra', '"货物破损"', 'XYZ-2031-99*', '鑫鑫', 'quartz', '"pallet zebra"', '飞龙', 'banana', '瀚海'];
  for (let i = 0; i < 20; i += 1) {
    const query = absent[i % absent.length]!;
    const floor: Record<string, string> = {
      麒麟: '"麒麟"',
      zebra: '"zebra"',
      '"货物破损"': '"货物" + "物破" + "破损"',
      'XYZ-2031-99*': '"xyz" + "2031" + "99" *',
      鑫鑫: '"鑫鑫"',
      quartz: '"quartz"',
      '"pallet zebra"': '"pallet" + "zebra"',
      飞龙: '"飞龙"',
      banana: '"banana"',
      瀚海: '"瀚海"',
    };
    queries.push({ kind: 'no-hit', query, floorSql: FLOOR_PAGE, floorParams: [floor[query]!], matches: () => false });
  }
  return queries;
}
