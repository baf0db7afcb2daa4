import type { Command } from 'commander';
import { Option } from 'commander';
import {
  action,
  openFromFlags,
  untilStopped,
  UserError,
  withCommonOptions,
  type CommonFlags,
} from './common.js';
import type { ConsoleEnv } from '../console/types.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import { hashPassword, passwordProblem } from '../console/auth/passwords.js';

type Flags = CommonFlags & {
  host: string;
  port: string;
  initAdmin?: string;
  forceAdmin?: boolean;
  secureCookies?: boolean;
  trustProxy?: boolean;
  scheduler?: boolean;
};

/** Read a line from the terminal without echoing it. */
function askHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const cleanup = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          cleanup();
          process.stdout.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          cleanup();
          process.stdout.write('\n');
          reject(new UserError('已取消，未创建管理员。'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

/** The password of the first administrator: XUNCHA_ADMIN_PASSWORD, or typed twice on a terminal. */
async function adminPassword(username: string): Promise<string> {
  const fromEnv = process.env.XUNCHA_ADMIN_PASSWORD;
  let password: string;
  if (fromEnv) password = fromEnv;
  else if (process.stdin.isTTY) {
    password = await askHidden(`请设置管理员 ${username} 的密码（至少 10 个字符）：`);
    if ((await askHidden('请再次输入密码：')) !== password)
      throw new UserError('两次输入的密码不一致，未创建管理员。');
  } else
    throw new UserError(
      '--init-admin 需要在终端中输入密码，或通过环境变量 XUNCHA_ADMIN_PASSWORD 提供（不在命令行上写密码）。',
    );
  const problem = passwordProblem(password, username);
  if (problem) throw new UserError(`管理员密码不符合要求：${problem}。`);
  return password;
}

/** `--init-admin`: the first 管理员; refused when one exists unless --force-admin. */
async function initAdmin(db: Db, log: Logger, username: string, force: boolean): Promise<void> {
  const { countAdmins, createAccount, findAccountByUsername } = await import('../store/accounts.js');
  const { recordAudit } = await import('../store/audit.js');
  if (!/^[\p{L}\p{N}_.@-]{2,64}$/u.test(username))
    throw new UserError(`用户名「${username}」无效：应为 2–64 个字母、数字、汉字或 _ . @ - 。`);
  if (!force && (await countAdmins(db)) > 0)
    throw new UserError(
      '已有管理员账号，未再创建。请用已有管理员登录后在“账号管理”中添加；确需再建请加 --force-admin。',
    );
  if (await findAccountByUsername(db, username))
    throw new UserError(`用户名「${username}」已存在，未创建管理员。`);
  const passwordHash = await hashPassword(await adminPassword(username));
  const now = new Date();
  const id = await createAccount(
    db,
    { username, displayName: username, role: 'admin', unitId: null, email: null, passwordHash },
    now,
  );
  await recordAudit(
    db,
    {
      account: null,
      username: 'xuncha serve',
      action: 'account.init-admin',
      target: `account:${username}`,
      detail: { id },
    },
    now,
  );
  log.info(`已创建管理员 ${username}。`);
}

function portOf(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`参数 --port 应为 0–65535 的整数（0 为任一空闲端口），实际为 ${value}`);
  return port;
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;

export function registerServeCommand(program: Command): void {
  withCommonOptions(
    program
      .command('serve')
      .description(
        '启动网页控制台：总览、批次、单位、问题、复核、整改反馈、定时任务和账号（默认只在本机 127.0.0.1:8080 访问）',
      ),
    ['out', 'rules'],
  )
    .option('--host <地址>', '监听地址（0.0.0.0 为本机所有网卡，供局域网访问）', '127.0.0.1')
    .option('--port <端口>', '监听端口（0 为任一空闲端口）', '8080')
    .option('--issuer <name>', '整改通知落款单位', '示范区人民政府办公室（政务公开办）')
    .option(
      '--init-admin <用户名>',
      '创建第一个管理员（密码在终端中输入两次，或取环境变量 XUNCHA_ADMIN_PASSWORD）',
    )
    .addOption(new Option('--force-admin', '已有管理员时仍用 --init-admin 再创建一个'))
    .option('--secure-cookies', '登录 Cookie 只经 HTTPS 发送（控制台位于 HTTPS 反向代理之后时使用）')
    .option('--trust-proxy', '信任反向代理的 X-Forwarded-* 头（客户端地址与 HTTPS），仅在代理之后使用')
    .option('--no-scheduler', '不运行内置定时任务（每月巡查、每小时监测、整改期满复查）')
    .action(
      action(async (flags: Flags) => {
        const port = portOf(flags.port);
        // The console, its jobs (the whole pipeline) and the scheduler are loaded when it starts,
        // not for its help.
        const { createConsoleServer } = await import('../console/server.js');
        const { createJobControl } = await import('../jobs/jobControl.js');
        const { startScheduler } = await import('../schedule/scheduler.js');
        const { warmBatchReport } = await import('../console/data/report.js');
        const { latestRunId } = await import('../store/runs.js');
        const { listAccounts } = await import('../store/accounts.js');
        const { db, log } = await openFromFlags(flags);
        if (flags.initAdmin !== undefined)
          await initAdmin(db, log, flags.initAdmin.trim(), Boolean(flags.forceAdmin));
        const now = () => new Date();
        const jobs = createJobControl({
          db,
          log,
          rulesDir: flags.rules,
          outDir: flags.out,
          issuer: flags.issuer,
          now,
        });
        const env: ConsoleEnv = {
          db,
          log,
          rulesDir: flags.rules,
          outDir: flags.out,
          issuer: flags.issuer,
          now,
          jobs,
        };
        const scheduler = flags.scheduler === false ? undefined : startScheduler(env);
        const app = createConsoleServer(env, {
          secureCookies: Boolean(flags.secureCookies),
          trustProxy: Boolean(flags.trustProxy),
        });
        try {
          await app.listen({ host: flags.host, port });
        } catch (err) {
          await scheduler?.stop();
          await jobs.close();
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EADDRINUSE') throw new UserError(`端口 ${port} 已被占用，请用 --port 换一个端口。`);
          if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
            throw new UserError(`无法在地址 ${flags.host} 上监听。`);
          throw err;
        }
        const shown = flags.host.includes(':')
          ? `[${flags.host}]`
          : flags.host === '0.0.0.0'
            ? '127.0.0.1'
            : flags.host;
        // --port 0 takes any free port: say which one.
        const address = app.server.address();
        const actual = typeof address === 'object' && address ? address.port : port;
        log.info(`巡查控制台已启动，请用浏览器打开 http://${shown}:${actual}/ （按 Ctrl+C 停止）`);
        if (!LOOPBACK.test(flags.host) && !flags.secureCookies)
          log.warn(
            '控制台在局域网地址上监听且未使用 HTTPS：建议置于 HTTPS 反向代理之后并加 --secure-cookies。',
          );
        // The newest batch's figures are built once per process: build them now, not on the
        // first visitor's request.
        const newest = await latestRunId(db);
        if (newest) warmBatchReport(env, newest);
        if (!(await listAccounts(db)).length)
          log.warn('尚无任何账号：请先停止控制台，用 xuncha serve --init-admin <用户名> 创建管理员。');
        // Serve until Ctrl+C or the service manager stops us; then let running work end cleanly.
        await untilStopped();
        log.info('正在停止控制台，等待进行中的任务结束（再按一次 Ctrl+C 立即退出）……');
        await app.close();
        await scheduler?.stop();
        await jobs.close();
      }),
    );
}
