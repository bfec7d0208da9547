// `scripts/setup.sh --packaging`: installs every packaging fixture's pinned
// tools from the registry into target/packaging/ (skipped while a fixture's
// lock is unchanged), so that the suite itself downloads nothing.
import { FIXTURE_NAMES, installTools } from './harness.mjs';

for (const name of FIXTURE_NAMES) {
  if (await installTools(name)) console.log(`setup: installed the tools of the ${name} packaging fixture`);
}
