/** Configuration from the environment, validated once at start-up (STYLE.md item 11). */
import path from 'node:path';
import { z } from 'zod';

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  MIAOPU_PROFILE: z.enum(['demo', 'production', 'test']).default('demo'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds to let in-flight requests finish after SIGTERM (REL-05). */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(120).default(25),
  /** Run the job workers in this process. */
  JOBS: z.enum(['on', 'off']).default('on'),
  /** Key material for the software KeyProvider (64 hex digits). Without it, demo creates a random key file in DATA_DIR/keys. */
  MIAOPU_MASTER_KEY: z.string().optional(),
  /** Comma-separated origins allowed on unsafe requests besides the server's own. */
  ALLOWED_ORIGINS: z.string().default(''),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  profile: 'demo' | 'production' | 'test';
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  shutdownGraceSeconds: number;
  jobs: boolean;
  masterKey: string | undefined;
  allowedOrigins: string[];
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new ConfigError(`配置无效 / invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    profile: e.MIAOPU_PROFILE,
    logLevel: e.LOG_LEVEL,
    shutdownGraceSeconds: e.SHUTDOWN_GRACE_SECONDS,
    jobs: e.JOBS === 'on',
    masterKey: e.MIAOPU_MASTER_KEY,
    allowedOrigins: e.ALLOWED_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
  if (config.profile === 'production' && !config.databaseUrl) {
    throw new ConfigError(
      'MIAOPU_PROFILE=production 需要 PostgreSQL 服务器：请设置 DATABASE_URL=postgres://…（内嵌 PGlite 关闭了 fsync，不满足等保三级的数据可靠性要求）。\n' +
        'MIAOPU_PROFILE=production requires a PostgreSQL server: set DATABASE_URL=postgres://… ' +
        '(the embedded PGlite runs with fsync off and cannot meet MLPS level 3 durability).',
    );
  }
  if (config.profile === 'production' && !config.masterKey) {
    throw new ConfigError(
      'MIAOPU_PROFILE=production 需要 MIAOPU_MASTER_KEY（64 位十六进制）。/ MIAOPU_PROFILE=production requires MIAOPU_MASTER_KEY (64 hex digits).',
    );
  }
  return config;
}
