import { parseArgs } from 'node:util';
import {
  ConfigError,
  createLogger,
  createServices,
  loadConfig,
  openDatabase,
  AppError,
  isScheduledJob,
  runScheduledJob,
  type AppConfig,
  type Services,
} from '@medora/core';
import exampleCases from '@medora/clinical/examples' with { type: 'json' };
import {
  analysisInput,
  localeSchema,
  nameSchema,
  newPasswordSchema,
  phoneSchema,
  scheduledJobNames,
  toFieldErrors,
} from '@medora/schema';
import { z } from 'zod';

// Exit codes: 0 done (created or already there), 1 failure (database, conflict, a failed job
// run), 2 bad usage.
const USAGE = `Usage:
  npm run cli -- create-admin --phone +998901234567 --name "Full Name"
  npm run cli -- demo [--locale uz|ru|en] [--force]
  npm run cli -- jobs:run <task>
  npm run cli -- reset-totp --phone +998901234567

The password is read from ADMIN_PASSWORD, or from standard input (typed without echo on a
terminal, or a single line when piped). It is never taken from the command line, where it
would be visible in the process list and shell history.

demo creates a new sample doctor (printing the phone and a generated password) with a dozen
sample patients and a completed analysis for each example case. It touches no other workspace.
It refuses to run when NODE_ENV=production unless --force is given.

jobs:run runs one scheduled task once now, the same code the worker runs on its schedule, and
records the run (job_runs, as the admin console shows it). Every task is idempotent, so running
one beside the worker changes nothing twice. Tasks: ${scheduledJobNames.join(', ')}.

reset-totp forgets an administrator's authenticator (a lost phone): their recovery codes go too,
every session of theirs ends, and their next sign-in with the password leads through enrolment.`;

const adminInput = z.object({ phone: phoneSchema, name: nameSchema, password: newPasswordSchema });

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        phone: { type: 'string' },
        name: { type: 'string' },
        locale: { type: 'string' },
        force: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals[0] === 'demo' && positionals.length === 1) return demo(values);
  if (positionals[0] === 'jobs:run') return runJob(positionals.slice(1));
  if (positionals[0] === 'reset-totp' && positionals.length === 1) return resetTotp(values);
  if (positionals[0] !== 'create-admin' || positionals.length !== 1)
    throw new UsageError(`unknown command: ${positionals.join(' ') || '(none)'}`);
  if (!values.phone || !values.name) throw new UsageError('--phone and --name are required');

  const password = process.env.ADMIN_PASSWORD ?? (await readPassword());
  const input = adminInput.safeParse({ phone: values.phone, name: values.name, password });
  if (!input.success) {
    console.error('Invalid input:');
    for (const [field, codes] of Object.entries(toFieldErrors(input.error.issues)))
      console.error(`  ${field}: ${codes.join(', ')}`);
    return 2;
  }

  const config = loadConfig(process.env);
  return withServices(config, async (services) => {
    try {
      const result = await services.admins.createAdmin(input.data);
      console.log(
        result.created
          ? `Administrator created (${input.data.phone}).`
          : `Administrator ${input.data.phone} already exists; nothing changed.`,
      );
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'PHONE_TAKEN') {
        console.error(
          `A doctor account already uses ${input.data.phone}; choose another phone for the administrator.`,
        );
        return 1;
      }
      throw err;
    }
  });
}

/**
 * Runs a command with the database migrated and the services built, and closes them after,
 * however the command ends. The terminal is kept for the answer: only warnings are logged
 * unless LOG_LEVEL asks for more.
 */
async function withServices(
  config: AppConfig,
  command: (services: Services) => Promise<number>,
): Promise<number> {
  const logger = createLogger(
    { ...config, logLevel: process.env.LOG_LEVEL ? config.logLevel : 'warn' },
    'cli',
  );
  const database = await openDatabase(config, logger, {
    migrate: true,
    applicationName: 'medora-cli',
  });
  const services = createServices({ config, db: database.db, logger, databaseUrl: database.url });
  try {
    return await command(services);
  } finally {
    await services.analyses.events.stop();
    await services.cache.close();
    await database.close();
  }
}

/** `demo`: a filled sample workspace, for a clinic evaluating MedoraAI. */
async function demo(values: { locale?: string; force?: boolean }): Promise<number> {
  const locale = localeSchema.safeParse(values.locale ?? 'uz');
  if (!locale.success) throw new UsageError('--locale must be uz, ru or en');
  const config = loadConfig(process.env);
  if (config.isProduction && !values.force) {
    console.error(
      'Refusing to add sample data to a production deployment; pass --force if you mean it.',
    );
    return 1;
  }
  return withServices(config, async (services) => {
    const examples = z
      .array(z.object({ title: z.string(), input: analysisInput }))
      .parse(exampleCases)
      .map((c) => ({ title: c.title, input: { ...c.input, locale: locale.data } }));
    const result = await services.demo.seed(examples, locale.data);
    console.log(
      [
        `Sample doctor created: ${result.patients} patients, ${result.analyses} completed analyses.`,
        `  phone:    ${result.phone}`,
        `  password: ${result.password}`,
        'Sign in with these at the address the server printed (http://localhost:3000 by default).',
      ].join('\n'),
    );
    return 0;
  });
}

/** `jobs:run <task>`: a scheduled task's run, once, now (e.g. check_subscription_expiry's). */
async function runJob(args: string[]): Promise<number> {
  const [task] = args;
  if (args.length !== 1 || !task) throw new UsageError('jobs:run takes one task name');
  if (!isScheduledJob(task)) {
    throw new UsageError(`unknown task: ${task} (tasks: ${scheduledJobNames.join(', ')})`);
  }
  const config = loadConfig(process.env);
  return withServices(config, async (services) => {
    try {
      const result = await runScheduledJob(services, task, { workerId: 'cli' });
      const meta = Object.entries(result.meta ?? {})
        .map(([k, v]) => `, ${k} ${String(v)}`)
        .join('');
      console.log(`${task}: done, ${result.affected} affected${meta}.`);
      return 0;
    } catch (err) {
      // Recorded as a failed run already; say what went wrong and exit non-zero.
      console.error(`${task}: failed: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  });
}

/** `reset-totp`: an administrator lost their authenticator; they enrol again at next sign-in. */
async function resetTotp(values: { phone?: string }): Promise<number> {
  if (!values.phone) throw new UsageError('--phone is required');
  const phone = phoneSchema.safeParse(values.phone);
  if (!phone.success) throw new UsageError('--phone is not a valid phone number');
  const config = loadConfig(process.env);
  return withServices(config, async (services) => {
    const result = await services.secondFactor.resetAuthenticator(phone.data);
    if (result === 'missing') {
      console.error(`No administrator has the phone ${phone.data}; nothing changed.`);
      return 1;
    }
    console.log(
      `The authenticator of ${phone.data} was reset and their sessions ended; ` +
        'they set up a new one at their next sign-in.',
    );
    return 0;
  });
}

/** Reads the password from stdin: hidden typing on a terminal, the first line when piped. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      process.stderr.write(prompt);
      let typed = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            done();
            process.stderr.write('\n');
            return resolve(typed);
          }
          if (ch === '\u0003') {
            done();
            process.stderr.write('\n');
            return reject(new UsageError('cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      const done = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
      };
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw new UsageError('the passwords do not match');
  return first;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    console.error('Failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
