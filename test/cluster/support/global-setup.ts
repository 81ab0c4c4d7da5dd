import { ensureDebianPackages } from '../../../cluster/debian-packages';

/** Installs nginx and Prometheus before any test's timeout starts counting (apt takes a while on a fresh machine). */
export default function globalSetup(): void {
  ensureDebianPackages((line) => process.stdout.write(`${line}\n`));
}
