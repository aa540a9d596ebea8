import { randomUUID } from 'node:crypto';

/** A registered user. */
export interface User {
  /** Assigned on registration (UUID). */
  readonly id: string;
  /** Display name, as given. */
  readonly name: string;
  /** Email, as given; unique ignoring case. */
  readonly email: string;
  /** Registration time, ISO 8601. */
  readonly createdAt: string;
}

/** What a client sends to register. */
export interface NewUser {
  /** Display name. */
  readonly name: string;
  /** Email address. */
  readonly email: string;
}

/** Raised by {@link UserRepository.create} when the email is already registered. */
export class DuplicateEmailError extends Error {
  /** @param email the address that is taken */
  constructor(readonly email: string) {
    super(`a user with email ${email} already exists`);
    this.name = 'DuplicateEmailError';
  }
}

/** Storage of users. Swap the implementation for a database without touching handlers. */
export interface UserRepository {
  /** Stores a new user with a fresh id. @throws DuplicateEmailError when the email is taken (ignoring case) */
  create(user: NewUser): Promise<User>;
  /** @returns the user, or undefined when no user has that id */
  findById(id: string): Promise<User | undefined>;
}

/**
 * Keeps users in process memory: fast and dependency-free, but lost on restart and not shared between replicas,
 * so each pod has its own users. Good for demonstrating the platform, not for production data.
 */
export class InMemoryUserRepository implements UserRepository {
  private readonly byId = new Map<string, User>();
  private readonly idByEmail = new Map<string, string>();

  async create(user: NewUser): Promise<User> {
    const emailKey = user.email.toLowerCase();
    if (this.idByEmail.has(emailKey)) throw new DuplicateEmailError(user.email);
    const stored: User = { id: randomUUID(), name: user.name, email: user.email, createdAt: new Date().toISOString() };
    this.byId.set(stored.id, stored);
    this.idByEmail.set(emailKey, stored.id);
    return stored;
  }

  async findById(id: string): Promise<User | undefined> {
    return this.byId.get(id);
  }
}
