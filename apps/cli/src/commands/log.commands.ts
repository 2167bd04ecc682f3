import {
  CheckpointBook,
  checkCheckpoint,
  verifyLog,
  type CheckpointClaim,
  type LogFinding,
} from '@keystone/audit';
import { option, print, progress, readInput, trustedKeys, type Command } from '../cli-kit';
import { partsInThreads, verifyThreads } from '../verify-threads';

export const status: Command = async ({ json, store }) =>
  print(
    json,
    await (await store()).health(),
    (h) =>
      `${h.adapter}: ${h.reachable ? 'reachable' : 'unreachable'}, last position ${h.lastPosition}`,
  );

/**
 * Exit 1 on any break, each named by stream, version, position, expected and found. The log is
 * opened read-only (main): verifying changes nothing. `--against FILE` also proves the log still
 * extends a signed checkpoint published earlier, signed by a trusted key (--public-key, --keyring);
 * the checkpoints kept beside the log are checked too. A long log is walked in parts at once, a
 * thread per core (`--threads N` to choose; 1 walks it whole in one): see verifyLog's `inParts`.
 */
export const verify: Command = async ({ config, json, values, store }) => {
  const started = Date.now();
  const streamId = typeof values.stream === 'string' ? values.stream : undefined;
  const log = await store();
  const against: CheckpointClaim[] = (await new CheckpointBook(log).all()).map((c) => ({
    label: `the checkpoint kept beside the log, signed ${c.createdAt}`,
    logPosition: c.logPosition,
    logHash: c.logHash,
  }));
  const signatureFindings: LogFinding[] = [];
  const file = option(values, 'against');
  if (file) {
    const check = checkCheckpoint(readInput(file), trustedKeys(values));
    for (const problem of check.problems)
      signatureFindings.push({
        problem: 'checkpoint-signature',
        streamId: '',
        streamVersion: 0,
        globalPosition: check.checkpoint?.logPosition ?? 0,
        expected: `a checkpoint signed by a trusted key (${file})`,
        found: problem,
      });
    if (check.checkpoint)
      against.push({
        label: `${file}, signed ${check.checkpoint.createdAt} by ${check.signer}`,
        logPosition: check.checkpoint.logPosition,
        logHash: check.checkpoint.logHash,
      });
  }
  const threads = streamId
    ? 1
    : verifyThreads(config.store, await log.lastPosition(), option(values, 'threads'));
  const verified = await verifyLog(log, {
    streamId,
    against,
    inParts: threads > 1 ? partsInThreads(config.store, threads) : undefined,
    onProgress: (checked, position) =>
      progress(json, `verify: ${checked} events checked, at position ${position}`),
  });
  const result = { ...verified, findings: [...signatureFindings, ...verified.findings] };
  if (!json) process.stderr.write('\n');
  const seconds = (Date.now() - started) / 1000;
  const { logChain, logHead } = result;
  print(json, { ...result, seconds }, (r) =>
    [
      `verify: ${r.eventsChecked} events in ${r.streamsChecked} streams, up to position ${r.lastPosition}, in ${seconds.toFixed(1)} s`,
      `log hash at position ${logHead.position}: ${logHead.logHash}${
        !logChain.stored
          ? ' (computed: this log stores no log hashes)'
          : logChain.migration
            ? ` (log hashes of positions 1-${logChain.migration.throughPosition} were computed by migration at ${logChain.migration.appliedAt}, not when those events were appended)`
            : ''
      }`,
      ...r.checkpoints.map(
        (c) =>
          `checkpoint at position ${c.position}: ${c.holds ? 'the log extends it' : 'DOES NOT HOLD'} (${c.label})`,
      ),
      ...r.findings.map(
        (f) =>
          `  ${f.problem} in ${f.streamId || 'the log'}${f.streamVersion ? ` v${f.streamVersion}` : ''}${f.globalPosition ? ` at position ${f.globalPosition}` : ''}: expected ${f.expected}, found ${f.found}`,
      ),
      r.eventsChecked === 0
        ? 'verify: the log holds no event: nothing was verified (this is not a pass)'
        : r.findings.length === 0
          ? 'verify: no break found'
          : `verify: ${r.findings.length} finding(s)`,
    ].join('\n'),
  );
  // A log of no event proves nothing: not a pass.
  return result.findings.length === 0 && result.eventsChecked > 0 ? 0 : 1;
};
