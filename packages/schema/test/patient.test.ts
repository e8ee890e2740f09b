import { describe, expect, it } from 'vitest';
import { createPatientInput, toFieldErrors, updatePatientInput } from '../src/index';

describe('patient inputs', () => {
  it('report "birth date or age" together with the other field errors', () => {
    const res = createPatientInput.safeParse({ firstName: 'A', lastName: 'Karimov', sex: 'x' });
    expect(res.success).toBe(false);
    expect(toFieldErrors(res.error!.issues)).toEqual({
      firstName: ['name.too_short'],
      sex: ['sex.invalid'],
      birthDate: ['patient.birth_date_or_age'],
      ageYears: ['patient.birth_date_or_age'],
    });
  });

  it('survive input that is not an object', () => {
    for (const input of [null, 'x', 3, []])
      expect(createPatientInput.safeParse(input).success).toBe(false);
    expect(updatePatientInput.safeParse(null).success).toBe(false);
  });
});
