import { hashPassword, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './operator-password.js';
import type { OperatorStore } from './operator-store.js';

const USAGE = `Usage: npm run operator -- <command>

  set-password   Sets the dashboard's operator password (asked twice at a terminal, or read from standard
                 input: echo "$PASSWORD" | npm run operator -- set-password). Signs every session out.
  status         Says whether a password is set.`;

/** How the command reads the password: twice at a terminal (the second to confirm), once from a pipe. */
export interface PasswordInput {
  read(prompt: string): Promise<string>;
  readonly interactive: boolean;
}

/** `npm run operator -- …`; resolves to what to print and the exit status. */
export async function runOperatorCommand(
  args: readonly string[],
  deps: { store: OperatorStore; input: PasswordInput; nowMs: number },
): Promise<{ output: string; status: number }> {
  const [command] = args;
  if (command === 'status') {
    const set = (await deps.store.passwordHash()) !== undefined;
    return {
      output: set
        ? 'An operator password is set: the dashboard is at /admin.'
        : 'No operator password is set: the dashboard refuses every sign-in. Run: npm run operator -- set-password',
      status: 0,
    };
  }
  if (command !== 'set-password') return { output: USAGE, status: command === undefined ? 1 : 2 };
  const password = await deps.input.read('New operator password: ');
  if (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
    return {
      output: `The password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters long (a few words make a good one). Nothing changed.`,
      status: 2,
    };
  }
  if (deps.input.interactive && (await deps.input.read('Once more: ')) !== password) {
    return { output: 'The two passwords differ. Nothing changed.', status: 2 };
  }
  await deps.store.setPassword(await hashPassword(password), deps.nowMs);
  return {
    output: 'Operator password set; every earlier session is signed out. Sign in at /admin.',
    status: 0,
  };
}
