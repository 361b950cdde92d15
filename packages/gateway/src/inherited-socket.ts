import { fstatSync } from 'node:fs';

/**
 * A listener on a socket the gateway did not bind itself (systemd socket activation, or any
 * supervisor that passes a listening socket): `listen: "systemd:NAME"` takes the socket of the
 * .socket unit's `FileDescriptorName=NAME` (sd_listen_fds(3): LISTEN_PID, LISTEN_FDS and
 * LISTEN_FDNAMES, the sockets from descriptor 3 on); `listen: "fd:N"` takes descriptor N as it
 * is. Port 25 is then bound by the supervisor and the gateway never holds a privilege.
 */
const FORM = /^(?:fd:(\d{1,4})|systemd:([A-Za-z0-9_.:-]{1,255}))$/;

/** True when `listen` names an inherited socket rather than host:port. */
export function isInheritedListen(listen: string): boolean {
  return FORM.test(listen);
}

/** What a well-formed inherited `listen` lacks to be one: a problem saying what to change. */
export function inheritedFormProblem(listen: string): string | undefined {
  const m = FORM.exec(listen);
  if (!m || m[1] === undefined) return undefined;
  return Number(m[1]) < 3 ? `"${listen}" is standard input, output or error, not a passed socket: inherited sockets start at fd:3` : undefined;
}

export interface ListenEnvironment {
  LISTEN_PID?: string;
  LISTEN_FDS?: string;
  LISTEN_FDNAMES?: string;
}

/**
 * The descriptor an inherited `listen` stands for, checked to be an open socket. Throws with
 * what to change when it is not there: a unit without the .socket, a name not in its
 * FileDescriptorName=, or a variable meant for another process (LISTEN_PID is not ours).
 */
export function inheritedFd(listen: string, env: ListenEnvironment = process.env, pid = process.pid): number {
  const m = FORM.exec(listen);
  if (!m) throw new Error(`"${listen}" is not fd:N or systemd:NAME`);
  let fd: number;
  if (m[1] !== undefined) fd = Number(m[1]);
  else {
    const name = m[2]!;
    if (env.LISTEN_FDS === undefined || env.LISTEN_PID === undefined) {
      throw new Error(`listen "${listen}": no sockets were passed (LISTEN_FDS and LISTEN_PID are not set): start the gateway from a systemd .socket unit with FileDescriptorName=${name}, or listen on host:port`);
    }
    if (Number(env.LISTEN_PID) !== pid) {
      throw new Error(`listen "${listen}": the passed sockets are for process ${env.LISTEN_PID}, not this one (${pid}): let systemd start the gateway itself (no shell or wrapper that forks in between)`);
    }
    const count = Number(env.LISTEN_FDS);
    const names = (env.LISTEN_FDNAMES ?? '').split(':').slice(0, count);
    const at = names.indexOf(name);
    if (at < 0) {
      throw new Error(`listen "${listen}": no passed socket is named ${name} (the names are ${names.filter(Boolean).join(', ') || 'none'}): set FileDescriptorName=${name} in the .socket unit, or listen on one of those`);
    }
    fd = 3 + at;
  }
  let socket = false;
  try {
    socket = fstatSync(fd).isSocket();
  } catch {
    // not open: said below
  }
  if (!socket) throw new Error(`listen "${listen}": file descriptor ${fd} is not an open socket passed to the gateway`);
  return fd;
}

/** The variables are for this process only (sd_listen_fds' unset_environment): children never see them. */
export function forgetListenEnvironment(env: ListenEnvironment = process.env): void {
  delete env.LISTEN_PID;
  delete env.LISTEN_FDS;
  delete env.LISTEN_FDNAMES;
}
