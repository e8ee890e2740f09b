import { z } from 'zod';
import { filePurposes } from './enums';

export const MB = 1024 * 1024;

/**
 * What each purpose accepts: the size cap and the detected types (by content, never by the
 * client's claim). The server enforces these; the web client uses them to refuse early.
 */
export const filePolicies = {
  attachment: {
    maxBytes: 10 * MB,
    mimes: [
      'image/jpeg',
      'image/png',
      'image/gif',
      'image/webp',
      'image/heic',
      'application/pdf',
      'application/msword',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.ms-excel',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ],
  },
  receipt: { maxBytes: 5 * MB, mimes: ['image/jpeg', 'image/png', 'application/pdf'] },
} as const satisfies Record<(typeof filePurposes)[number], { maxBytes: number; mimes: string[] }>;

/** The multipart fields that come with an upload (the file itself is the `file` part). */
export const uploadFields = z
  .strictObject({
    purpose: z.enum(filePurposes, { message: 'invalid' }),
    patientId: z.uuid({ message: 'id.invalid' }).optional(),
  })
  .refine((v) => v.purpose === 'attachment' || v.patientId === undefined, {
    message: 'invalid',
    path: ['patientId'],
  });
export type UploadFields = z.infer<typeof uploadFields>;

export const fileOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  mime: z.string(),
  size: z.number().int(),
  sha256: z.string(),
});
export type FileOutput = z.infer<typeof fileOutput>;

export const fileListItem = fileOutput.extend({
  purpose: z.enum(filePurposes),
  patientId: z.uuid().nullable(),
  uploadedBy: z.object({ id: z.uuid(), name: z.string() }),
  createdAt: z.date(),
});
export type FileListItem = z.infer<typeof fileListItem>;

export const listFilesInput = z.object({ patientId: z.uuid({ message: 'id.invalid' }) });
export const fileListOutput = z.object({ items: z.array(fileListItem) });
