import { maskPhone } from '@medora/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/passwords';
import { AppError } from '../src/errors';
import { freshPhone } from '../src/testing';
import { coreServices, type CoreHarness } from './services';

let h: CoreHarness;
beforeAll(async () => {
  h = await coreServices();
});
afterAll(() => h.close());

const PASSWORD = 'Boshqaruv-2026';
const userRow = (phone: string) =>
  h.t.db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
const adminAudits = (userId: string) =>
  h.t.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'actor_role', 'actor_user_id', 'meta'])
    .where('entity_id', '=', userId)
    .where('action', '=', 'admin.create')
    .execute();

describe('creating an administrator', () => {
  it('stores an admin with an argon2id hash and audits it with a masked phone', async () => {
    const phone = freshPhone();
    const res = await h.services.admins.createAdmin({
      phone,
      name: 'Aziz Rahimov',
      password: PASSWORD,
    });
    expect(res.created).toBe(true);
    const row = await userRow(phone);
    expect(row).toMatchObject({
      id: res.userId,
      role: 'admin',
      name: 'Aziz Rahimov',
      locale: 'uz',
    });
    expect(await verifyPassword(row!.password_hash, PASSWORD)).toBe(true);
    expect(await adminAudits(res.userId)).toEqual([
      {
        action: 'admin.create',
        outcome: 'success',
        actor_role: 'system',
        actor_user_id: null,
        meta: { phone: maskPhone(phone), totpEnrolled: false },
      },
    ]);
  });

  it('enrols the admin with a given authenticator secret, stored sealed, and refuses a weak one', async () => {
    const phone = freshPhone();
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const res = await h.services.admins.createAdmin(
      { phone, name: 'Aziz Rahimov', password: PASSWORD },
      { totpSecret: secret },
    );
    const row = await h.t.db
      .selectFrom('users')
      .select(['totp_secret', 'totp_enrolled_at'])
      .where('id', '=', res.userId)
      .executeTakeFirstOrThrow();
    expect(row.totp_enrolled_at).not.toBeNull();
    expect(row.totp_secret).not.toContain(secret);
    expect(h.services.secondFactor.vault.open(res.userId, row.totp_secret!)).toBe(secret);
    await expect(
      h.services.admins.createAdmin(
        { phone: freshPhone(), name: 'Aziz Rahimov', password: PASSWORD },
        { totpSecret: 'JBSWY3DP' },
      ),
    ).rejects.toBeInstanceOf(AppError);
  });

  it('is idempotent for an existing admin and never audits twice', async () => {
    const phone = freshPhone();
    const first = await h.services.admins.createAdmin({
      phone,
      name: 'Aziz Rahimov',
      password: PASSWORD,
    });
    const again = await h.services.admins.createAdmin({
      phone,
      name: 'Boshqa Ism',
      password: 'Boshqa-parol-99',
    });
    expect(again).toEqual({ created: false, userId: first.userId });
    expect((await userRow(phone))?.name).toBe('Aziz Rahimov');
    expect(await adminAudits(first.userId)).toHaveLength(1);
  });

  it("refuses a doctor's phone instead of promoting the doctor", async () => {
    const doctor = await h.make.doctor();
    const err = await h.services.admins
      .createAdmin({ phone: doctor.phone, name: 'Aziz Rahimov', password: PASSWORD })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'CONFLICT', code: 'PHONE_TAKEN' });
    expect((await userRow(doctor.phone))?.role).toBe('doctor');
  });
});

describe('the administrator configured for start-up', () => {
  it('is missing until configured, created once, and never replaces an existing admin', async () => {
    const own = await coreServices();
    try {
      const phone = freshPhone();
      expect(await own.services.admins.bootstrap(undefined)).toBe('missing');
      const config = {
        phone: `${phone.slice(4, 6)} ${phone.slice(6)}`,
        password: PASSWORD,
        name: 'Bosh Admin',
      };
      expect(await own.services.admins.bootstrap(config)).toBe('created');
      expect(
        await own.t.db.selectFrom('users').select(['phone', 'role', 'name']).execute(),
      ).toEqual([{ phone, role: 'admin', name: 'Bosh Admin' }]);
      expect(await own.services.admins.bootstrap(config)).toBe('exists');
      expect(await own.services.admins.bootstrap({ ...config, phone: freshPhone() })).toBe(
        'exists',
      );
      expect(await own.t.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    } finally {
      await own.close();
    }
  });
});
