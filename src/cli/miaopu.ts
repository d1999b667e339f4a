/**
 * Miaopu CLI: `audit:verify`, `create-admin`, `seed`. Opens the same database as the server (DATA_DIR or
 * DATABASE_URL) and holds the data-directory lock while it runs, so it refuses to run beside a live server
 * on the same PGlite directory.
 *   npm run audit:verify
 *   npm run miaopu -- create-admin --username admin1 --display-name 系统管理员   (password from MIAOPU_ADMIN_PASSWORD or stdin)
 */
import { parseArgs } from 'node:util';
import { createDeps } from '../server/bootstrap.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { acquireDataDirLock, DataDirLockedError } from '../server/db/lock.ts';
import { bootstrapAdmin } from '../server/modules/identity/service.ts';
import { checkpointFile, SYSTEM_ACTOR } from '../server/platform/audit.ts';
import { AppError } from '../server/platform/errors.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfig();
  const release = acquireDataDirLock(config.dataDir);
  const deps = await createDeps(config, { seed: command !== 'audit:verify' });
  try {
    switch (command) {
      case 'audit:verify': {
        const file = checkpointFile(config.dataDir);
        const r = await deps.audit.verify(deps.database.db, undefined, { checkpointFile: file });
        if (r.ok) {
          // anchor the verified head (decision 0022): a signed checkpoint in the table and DATA_DIR/audit/
          const c = await deps.audit.checkpoint(deps.database.db, file);
          console.log(
            `audit chain OK: ${r.checked} rows verified against ${r.anchors ?? 0} checkpoints; anchored at row id ${c?.headId ?? '-'}`,
          );
          return 0;
        }
        console.error(
          `审计链校验失败 / audit chain BROKEN at row id ${r.brokenId}: ${r.reason} (${r.checked} rows before it verified)`,
        );
        return 1;
      }
      case 'create-admin': {
        const { values } = parseArgs({
          args: rest,
          options: {
            username: { type: 'string' },
            'display-name': { type: 'string' },
            role: { type: 'string', default: 'system_admin' },
          },
        });
        if (!values.username) throw new Error('--username is required');
        const role = values.role as 'system_admin' | 'security_admin' | 'auditor';
        if (!['system_admin', 'security_admin', 'auditor'].includes(role))
          throw new Error('--role must be one of the three admin roles');
        const password = process.env.MIAOPU_ADMIN_PASSWORD ?? (await readStdin());
        const user = await deps.database.db.transaction((tx) =>
          bootstrapAdmin(tx, deps, SYSTEM_ACTOR, 'zh-CN', {
            username: values.username!,
            displayName: values['display-name'] ?? values.username!,
            role,
            password,
          }),
        );
        console.log(`created ${role} ${user.username} (must change the password at first login)`);
        return 0;
      }
      case 'seed':
        console.log('database migrated and seeded (seeding runs once, on an empty database)');
        return 0;
      default:
        console.error('usage: miaopu <audit:verify | create-admin --username U [--display-name N] [--role R] | seed>');
        return 2;
    }
  } finally {
    await deps.database.close();
    release();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    if (e instanceof ConfigError || e instanceof DataDirLockedError) console.error(e.message);
    else if (e instanceof AppError) console.error(`${e.code} ${JSON.stringify(e.details ?? e.params)}`);
    else console.error(e);
    process.exit(1);
  });
