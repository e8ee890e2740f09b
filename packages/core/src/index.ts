export * from './audit/index';
export * from './admin/service';
export * from './admin/console';
export * from './auth/credentials';
export * from './auth/second-factor';
export { signChallenge, type ChallengePurpose } from './auth/challenge';
export { TotpVault, isValidBase32Secret, normalizeBase32 } from './auth/totp';
export * from './db';
export * from './files/service';
export * from './files/storage';
export { sanitizeFileName } from './files/filename';
export * from './analyses/events';
export * from './analyses/service';
export * from './demo/service';
export * from './notifications/service';
export {
  notify,
  NOTIFICATION_DELIVERY_MAX_ATTEMPTS,
  type NewNotification,
} from './notifications/queries';
export { renderNotification, type RenderedNotification } from './notifications/texts';
export { EskizSmsSender, EskizError, type SmsSender } from './notifications/eskiz';
export { createEmailSender, type EmailSender } from './notifications/email';
export * from './patients/service';
export * from './payments/service';
export * from './plans/service';
export * from './subscriptions/service';
export * from './patients/search-key';
export * from './profile/service';
export * from './scope';
export * from './sessions/service';
export * from './workspaces/service';
export * from './auth/tokens';
export * from './cache/index';
export * from './config';
export * from './errors';
export * from './jobs/index';
export * from './llm/index';
export * from './logger';
export * from './process';
export * from './runtime';
export * from './sessions/cleanup';
export * from './subscriptions/expiry';
export * from './system/index';
export { hashPassword, verifyPassword } from './auth/passwords';
