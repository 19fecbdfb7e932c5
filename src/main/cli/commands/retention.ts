/**
 * Retention, holds and disposal from the command line (docs/retention.md):
 * `retention schedules|set-schedule|due|show|extend`, `hold add|lift|list`,
 * `dispose request|approve|reject|list|certificate`.
 */
import { resolve } from 'node:path';
import type { InputOf } from '../../../shared/contract';
import {
  HOLD_KINDS,
  RETENTION_ACTIONS,
  RETENTION_START_EVENTS,
  type DisposalApproval,
  type DisposalBatch,
  type HoldKind,
  type HoldRecord,
  type RetentionAction,
  type RetentionSchedule,
  type RetentionStartEvent,
  type RetentionState,
} from '../../../shared/model';
import { CliFailure, EXIT_USAGE, parsePositiveInteger, type CommandModule } from '../context';
import { table } from '../format';

const dash = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '-' : String(value));
const repeatable = (value: string, all: string[] = []) => [...all, value];

function usage(message: string): CliFailure {
  return new CliFailure({ code: 'VALIDATION', message }, EXIT_USAGE);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw usage(`${what} must be one of ${allowed.join(', ')}, not "${value}".`);
  return value as T;
}

function period(schedule: RetentionSchedule | null): string {
  if (schedule === null) return 'no schedule (permanent)';
  return schedule.years === null ? `permanent (${schedule.action})` : `${schedule.years} y from ${schedule.startEvent}, then ${schedule.action}`;
}

function formatSchedules(schedules: RetentionSchedule[]): string {
  if (schedules.length === 0) return 'No retention schedules: every type is kept permanently.';
  return table([
    ['TYPE', 'START', 'YEARS', 'ACTION', 'BASIS'],
    ...schedules.map((schedule) => [
      schedule.typeCode,
      schedule.startEvent,
      schedule.years === null ? 'permanent' : String(schedule.years),
      schedule.action,
      schedule.basis,
    ]),
  ]);
}

function formatDue(due: { asOf: string; items: RetentionState[] }): string {
  if (due.items.length === 0) return `Nothing is due on ${due.asOf}.`;
  const held = due.items.filter((item) => item.holds.length > 0).length;
  return [
    table([
      ['ARCHIVE NO', 'TYPE', 'DUE', 'ACTION', 'STATE', 'CUSTOMER', 'TITLE'],
      ...due.items.map((item) => [
        item.archiveNo,
        dash(item.typeCode),
        dash(item.dueDate),
        dash(item.schedule?.action),
        item.holds.length > 0
          ? `held (${item.holds.map((hold) => `#${hold.id} ${hold.kind}`).join(', ')})`
          : item.pendingBatch !== null
            ? `batch ${item.pendingBatch}`
            : 'candidate',
        dash(item.customer),
        item.title,
      ]),
    ]),
    `${due.items.length} due on ${due.asOf}, ${held} of them held.`,
  ].join('\n');
}

function formatState(state: RetentionState): string {
  return [
    `${state.archiveNo}  ${state.title}`,
    `  type ${dash(state.typeCode)}: ${period(state.schedule)}`,
    `  start ${dash(state.startDate)}, type's end ${dash(state.typeDueDate)}${state.retainUntil ? `, extended to ${state.retainUntil}` : ''}`,
    `  due ${state.dueDate ?? 'never (permanent or start not known)'}`,
    ...state.holds.map((hold) => `  on hold #${hold.id} (${hold.kind}) since ${hold.placedAt} by ${hold.placedBy}: ${hold.reason}`),
    ...(state.pendingBatch !== null ? [`  in disposal batch ${state.pendingBatch}, waiting for approval`] : []),
    ...(state.disposed ? [`  DISPOSED in batch ${state.disposed.batchId} at ${state.disposed.at}`] : []),
  ].join('\n');
}

function formatHolds(holds: HoldRecord[]): string {
  if (holds.length === 0) return 'No holds.';
  return table([
    ['ID', 'ON', 'KIND', 'PLACED', 'BY', 'LIFTED', 'REASON'],
    ...holds.map((hold) => [
      String(hold.id),
      hold.archiveNo ?? `customer ${hold.customer}`,
      hold.kind,
      hold.placedAt.slice(0, 10),
      hold.placedBy,
      hold.liftedAt ? `${hold.liftedAt.slice(0, 10)} ${hold.liftedBy}: ${hold.liftReason}` : '-',
      hold.reason,
    ]),
  ]);
}

function formatBatch(batch: DisposalBatch): string {
  return [
    `Disposal batch ${batch.id} (${batch.status}), due as of ${batch.asOf}: requested by ${batch.requestedBy} at ${batch.requestedAt}`,
    `  reason: ${batch.reason}`,
    ...(batch.decidedBy ? [`  ${batch.status} by ${batch.decidedBy} at ${batch.decidedAt}: ${dash(batch.decisionReason)}`] : []),
    ...(batch.certificateSha256 ? [`  certificate SHA-256 ${batch.certificateSha256}`] : []),
    ...batch.items.map(
      (item) =>
        `  ${item.archiveNo.padEnd(16)} ${item.decision === 'extend' ? `extend to ${item.extendUntil}` : item.decision.padEnd(7)}  ${item.years} y, due ${item.dueDate}  ${item.title}`,
    ),
  ].join('\n');
}

function formatApproval(approval: DisposalApproval): string {
  return [
    formatBatch(approval.batch),
    `Disposed of ${approval.disposed.length}, extended ${approval.extended.length}, kept ${approval.kept.length}; ${approval.filesRemoved} file(s) removed from the archive.`,
    ...(approval.backupHolders.length > 0
      ? [
          'Backup sets still holding these files (until pruned: `backup --full`, then `prune-backups --keep 1`):',
          ...approval.backupHolders.map((holder) => `  ${holder.setId} in ${holder.target} (${holder.files} file(s))`),
        ]
      : ['No backup set checked holds these files.']),
    ...approval.backupTargetsUnchecked.map((target) => `Not checked (not reachable): ${target}`),
  ].join('\n');
}

type RequestItems = InputOf<'disposal:request'>['items'];

/** `SV-2026-000001` disposes, `SV-2026-000001:keep` keeps, `SV-2026-000001:extend=2060-12-31` extends. */
function parseRequestItem(text: string): RequestItems[number] {
  const match = /^([^:]+)(?::(dispose|keep|extend)(?:=(\d{4}-\d{2}-\d{2}))?)?$/.exec(text.trim());
  if (!match || (match[2] === 'extend') !== (match[3] !== undefined)) {
    throw usage(`"${text}" is not DOC, DOC:keep, DOC:dispose or DOC:extend=YYYY-MM-DD.`);
  }
  const [, ref, decision = 'dispose', until] = match;
  return { ref: ref!, decision: decision as 'dispose' | 'keep' | 'extend', ...(until ? { extendUntil: until } : {}) };
}

export const registerRetentionCommands: CommandModule = (program, context) => {
  const retention = program.command('retention').description('retention schedules, what is due, keeping a document longer');
  retention
    .command('schedules')
    .description('the retention schedule of every document type')
    .action(async () => {
      const schedules = await context.call('retention schedules', 'retention:schedules', {});
      context.emit(schedules, formatSchedules(schedules));
    });
  retention
    .command('set-schedule <type>')
    .description("change a document type's schedule (administrators)")
    .requiredOption('--start <event>', RETENTION_START_EVENTS.join(' | '))
    .option('--years <n>', 'the period in years')
    .option('--permanent', 'kept permanently')
    .requiredOption('--action <action>', RETENTION_ACTIONS.join(' | '))
    .requiredOption('--basis <text>', 'the rule the period follows')
    .action(async (typeCode: string, options: { start: string; years?: string; permanent?: boolean; action: string; basis: string }) => {
      if ((options.years === undefined) === (options.permanent !== true)) throw usage('Give either --years N or --permanent.');
      const saved = await context.call('retention set-schedule', 'retention:setSchedule', {
        typeCode,
        startEvent: oneOf<RetentionStartEvent>(options.start, RETENTION_START_EVENTS, '--start'),
        years: options.years === undefined ? null : parsePositiveInteger(options.years, 'number of years'),
        action: oneOf<RetentionAction>(options.action, RETENTION_ACTIONS, '--action'),
        basis: options.basis,
      });
      context.emit(saved, formatSchedules([saved]));
    });
  retention
    .command('due')
    .description('documents whose retention has ended (held ones flagged)')
    .option('--as-of <date>', 'the day to look at (YYYY-MM-DD, default today)')
    .action(async (options: { asOf?: string }) => {
      const due = await context.call('retention due', 'retention:due', options.asOf ? { asOf: options.asOf } : {});
      context.emit(due, formatDue(due));
    });
  retention
    .command('show <doc>')
    .description("a document's retention: schedule, start, end, extension, holds, disposal")
    .action(async (ref: string) => {
      const state = await context.call('retention show', 'retention:document', { ref });
      context.emit(state, formatState(state));
    });
  retention
    .command('extend <doc>')
    .description('keep a document longer than its type says (never shorter)')
    .requiredOption('--until <date>', 'the new end of retention, YYYY-MM-DD')
    .requiredOption('--reason <text>', 'why')
    .action(async (ref: string, options: { until: string; reason: string }) => {
      const state = await context.call('retention extend', 'retention:extend', { ref, until: options.until, reason: options.reason });
      context.emit(state, formatState(state));
    });

  const hold = program.command('hold').description('holds that keep documents from disposal until lifted');
  hold
    .command('add [doc]')
    .description('put a document, or with --customer every document of a customer, on hold')
    .option('--customer <name>', 'hold every document of this customer')
    .requiredOption('--kind <kind>', HOLD_KINDS.join(' | '))
    .requiredOption('--reason <text>', 'why')
    .action(async (ref: string | undefined, options: { customer?: string; kind: string; reason: string }) => {
      if ((ref === undefined) === (options.customer === undefined)) throw usage('Name either a document or --customer NAME.');
      const placed = await context.call('hold add', 'holds:add', {
        ...(ref === undefined ? { customer: options.customer! } : { ref }),
        kind: oneOf<HoldKind>(options.kind, HOLD_KINDS, '--kind'),
        reason: options.reason,
      });
      context.emit(placed, `Hold #${placed.id} (${placed.kind}) on ${placed.archiveNo ?? `customer ${placed.customer}`}.`);
    });
  hold
    .command('lift <id>')
    .description('lift a hold (administrators), with a reason')
    .requiredOption('--reason <text>', 'why')
    .action(async (id: string, options: { reason: string }) => {
      const lifted = await context.call('hold lift', 'holds:lift', { id: parsePositiveInteger(id, 'hold id'), reason: options.reason });
      context.emit(lifted, `Hold #${lifted.id} lifted by ${lifted.liftedBy}.`);
    });
  hold
    .command('list [doc]')
    .description("holds in force (on a document: its own and its customer's)")
    .option('--all', 'lifted holds too')
    .action(async (ref: string | undefined, options: { all?: boolean }) => {
      const holds = await context.call('hold list', 'holds:list', { includeLifted: options.all === true, ...(ref === undefined ? {} : { ref }) });
      context.emit(holds, formatHolds(holds));
    });

  const dispose = program.command('dispose').description('disposal batches: one administrator requests, another approves');
  dispose
    .command('request [items...]')
    .description('request disposal: DOC (dispose), DOC:keep, DOC:extend=YYYY-MM-DD; or --all-due')
    .option('--all-due', "every due document that is not held nor in a batch, with its schedule's action (dispose, or keep to review)")
    .option('--as-of <date>', 'decide on what is due that day (not later than today)')
    .requiredOption('--reason <text>', 'why')
    .action(async (texts: string[], options: { allDue?: boolean; asOf?: string; reason: string }) => {
      const batch = await context.withArchive('dispose request', async (session) => {
        const items: RequestItems = texts.map(parseRequestItem);
        if (options.allDue) {
          const due = await session.call('retention:due', options.asOf ? { asOf: options.asOf } : {});
          const named = new Set(items.map((item) => String(item.ref).toUpperCase()));
          for (const state of due.items) {
            if (state.holds.length > 0 || state.pendingBatch !== null || named.has(state.archiveNo)) continue;
            items.push({ ref: state.archiveNo, decision: state.schedule?.action === 'dispose' ? 'dispose' : 'keep' });
          }
        }
        if (items.length === 0)
          throw usage(options.allDue ? 'Nothing is due that is not held or already in a batch.' : 'Name the documents, or use --all-due.');
        return session.call('disposal:request', { items, reason: options.reason, ...(options.asOf ? { asOf: options.asOf } : {}) });
      });
      context.emit(batch, `${formatBatch(batch)}\nAnother administrator approves it with: slipvault dispose approve ${batch.id} --reason …`);
    });
  dispose
    .command('approve <batch>')
    .description('approve a batch requested by another administrator: the files are removed, a certificate written')
    .requiredOption('--reason <text>', 'the approval, e.g. the appraisal (鉴定) it follows')
    .option('--backup-target <dir>', 'a backup folder to search for sets still holding the files (repeatable; default: every folder backed up to)', repeatable)
    .action(async (batch: string, options: { reason: string; backupTarget?: string[] }) => {
      const approval = await context.call('dispose approve', 'disposal:approve', {
        batch: parsePositiveInteger(batch, 'batch number'),
        reason: options.reason,
        ...(options.backupTarget ? { backupTargets: options.backupTarget.map((target) => resolve(target)) } : {}),
      });
      context.emit(approval, formatApproval(approval));
    });
  dispose
    .command('reject <batch>')
    .description('close a requested batch without disposing of anything')
    .requiredOption('--reason <text>', 'why')
    .action(async (batch: string, options: { reason: string }) => {
      const rejected = await context.call('dispose reject', 'disposal:reject', { batch: parsePositiveInteger(batch, 'batch number'), reason: options.reason });
      context.emit(rejected, formatBatch(rejected));
    });
  dispose
    .command('list')
    .description('every disposal batch, newest first')
    .action(async () => {
      const batches = await context.call('dispose list', 'disposal:list', {});
      context.emit(batches, batches.length === 0 ? 'No disposal batches.' : batches.map(formatBatch).join('\n\n'));
    });
  dispose
    .command('certificate <batch>')
    .description("write an approved batch's disposal certificate (销毁清册, PDF)")
    .requiredOption('--out <file>', 'the PDF to create (must not exist)')
    .action(async (batch: string, options: { out: string }) => {
      const written = await context.call('dispose certificate', 'disposal:certificate', {
        batch: parsePositiveInteger(batch, 'batch number'),
        out: resolve(options.out),
      });
      context.emit(written, `Wrote ${written.path} (${written.bytes} bytes, SHA-256 ${written.sha256}).`);
    });
};
