import { verifyLog } from '@keystone/audit';
import { print, progress, type Command } from '../cli-kit';

export const status: Command = async ({ json, store }) =>
  print(
    json,
    await (await store()).health(),
    (h) =>
      `${h.adapter}: ${h.reachable ? 'reachable' : 'unreachable'}, last position ${h.lastPosition}`,
  );

/** Exit 1 on any break, each named by stream, version, position, expected and found. */
export const verify: Command = async ({ json, values, store }) => {
  const started = Date.now();
  const streamId = typeof values.stream === 'string' ? values.stream : undefined;
  const result = await verifyLog(await store(), {
    streamId,
    onProgress: (checked, position) =>
      progress(json, `verify: ${checked} events checked, at position ${position}`),
  });
  if (!json) process.stderr.write('\n');
  const seconds = (Date.now() - started) / 1000;
  print(json, { ...result, seconds }, (r) =>
    [
      `verify: ${r.eventsChecked} events in ${r.streamsChecked} streams, up to position ${r.lastPosition}, in ${seconds.toFixed(1)} s`,
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
