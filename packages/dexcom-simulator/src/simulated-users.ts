import { assertTimeZone, type DisplayDevice } from './dexcom-time.ts';
import { hexDigest } from './seeded-random.ts';
import type { TransmitterGeneration } from './sensor-sessions.ts';

const DAY = 24 * 60 * 60_000;

/** A simulated Dexcom account, as `startDexcomSimulator({ users })` and `users.add()` take it. */
export interface SimulatedUserOptions {
  /** The name the login selects the account by (`login_hint`), e.g. `demo`. */
  login: string;
  /** IANA zone the user's devices display (`displayTime`). Default `UTC`. */
  timeZone?: string;
  /** Where the readings were uploaded from: `iOS` / `android` (times with UTC offsets) or `receiver` (without). Default `receiver`. */
  displayDevice?: DisplayDevice;
  /** Default `g7`. */
  transmitterGeneration?: TransmitterGeneration;
  /** How far the account's history reaches back from when the user is added. Default 120 days. */
  historyDays?: number;
  /** What the sensor is seeded from. Default: the login, so the same login always has the same glucose. */
  seed?: string;
}

export interface SimulatedUser {
  login: string;
  /** Dexcom's `userId`: unique per account and client (here a hash of both). */
  userId: string;
  timeZone: string;
  displayDevice: DisplayDevice;
  transmitterGeneration: TransmitterGeneration;
  seed: string;
  /** The first instant the account may have readings for. */
  dataStart: Date;
}

const DISPLAY_DEVICES: readonly DisplayDevice[] = ['iOS', 'android', 'receiver'];
const GENERATIONS: readonly TransmitterGeneration[] = ['g6', 'g7'];

/** The accounts the simulator knows, by login. */
export class SimulatedUsers {
  readonly #byLogin = new Map<string, SimulatedUser>();

  constructor(
    private readonly clientId: string,
    private readonly now: () => number,
  ) {}

  add(options: SimulatedUserOptions): SimulatedUser {
    const user = this.#build(options);
    if (this.#byLogin.has(user.login)) throw new Error(`a simulated user "${user.login}" already exists`);
    this.#byLogin.set(user.login, user);
    return user;
  }

  get(login: string): SimulatedUser | undefined {
    return this.#byLogin.get(login);
  }

  list(): SimulatedUser[] {
    return [...this.#byLogin.values()];
  }

  #build(options: SimulatedUserOptions): SimulatedUser {
    const { login, timeZone = 'UTC', displayDevice = 'receiver', transmitterGeneration = 'g7', historyDays = 120 } = options;
    if (typeof login !== 'string' || !/^[\w.@+-]{1,128}$/.test(login)) {
      throw new TypeError(`a simulated user's login must be 1 to 128 letters, digits or _.@+- (got ${JSON.stringify(login)})`);
    }
    assertTimeZone(timeZone);
    if (!DISPLAY_DEVICES.includes(displayDevice)) throw new TypeError(`displayDevice must be one of ${DISPLAY_DEVICES.join(', ')}`);
    if (!GENERATIONS.includes(transmitterGeneration)) throw new TypeError(`transmitterGeneration must be one of ${GENERATIONS.join(', ')}`);
    if (!Number.isFinite(historyDays) || historyDays < 0) throw new RangeError(`historyDays must be a number of days ≥ 0 (got ${historyDays})`);
    return {
      login,
      userId: hexDigest('dexcom-user', this.clientId, login),
      timeZone,
      displayDevice,
      transmitterGeneration,
      seed: options.seed ?? login,
      dataStart: new Date(Math.floor((this.now() - historyDays * DAY) / 1000) * 1000),
    };
  }
}
