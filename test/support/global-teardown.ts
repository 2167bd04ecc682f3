export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__keystoneServices ?? [];
  await Promise.allSettled(started.map((service) => service.stop()));
}
