import { readFileSync, writeFileSync } from 'node:fs';
import { evidenceSigningKey, exportBundle, verifyBundle, type BundleScope } from '@keystone/audit';
import { isoDate, option, print, requiredOption, UsageError, type Command } from '../cli-kit';

/** `export --case ID | --from T --to T --out FILE`: a signed evidence bundle. */
export const exportEvidence: Command = async ({ config, json, values, store }) => {
  const out = requiredOption(values, 'out', 'the file to write the bundle to');
  const caseId = option(values, 'case');
  const from = option(values, 'from');
  const to = option(values, 'to');
  let scope: BundleScope;
  if (caseId && !from && !to) scope = { caseId };
  else if (!caseId && from && to) scope = { from: isoDate(from, 'from'), to: isoDate(to, 'to') };
  else throw new UsageError('export takes either --case ID, or --from T and --to T');
  const bundle = await exportBundle(
    await store(),
    scope,
    evidenceSigningKey(config.evidenceKeyFile),
    new Date(),
  );
  if (bundle.events.length === 0)
    throw new UsageError('nothing to export: no event matches that scope');
  writeFileSync(out, `${JSON.stringify(bundle, null, 2)}\n`);
  return print(
    json,
    { out, events: bundle.events.length, streams: Object.keys(bundle.chainHeads).length },
    (r) => `exported ${r.events} events of ${r.streams} streams to ${r.out}, signed`,
  );
};

/** `verify-bundle FILE [--public-key PEM]`: offline; exit 1 with the reasons when it does not hold. */
export const verifyEvidence: Command = async ({ json, positionals, values }) => {
  const file = positionals[1];
  if (!file) throw new UsageError('verify-bundle needs the bundle file');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const keyFile = option(values, 'public-key');
  const result = verifyBundle(text, keyFile ? readFileSync(keyFile, 'utf8') : undefined);
  print(json, result, (r) =>
    r.ok
      ? `bundle holds: ${r.events} events of ${r.streams} streams, signature and hash chains verified`
      : `bundle does NOT hold:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  return result.ok ? 0 : 1;
};
