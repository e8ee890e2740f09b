/**
 * Passwords of 8+ characters that top public breach-frequency lists (and their Uzbek/Russian
 * keyboard favourites). Compared case-insensitively. A short list on purpose: it ships in the web
 * bundle too, and the argon2id hash plus login throttling carry the rest.
 */
export const commonPasswords: ReadonlySet<string> = new Set([
  '12345678', '123456789', '1234567890', '12345678910', '123123123', '11111111', '111111111',
  '1111111111', '00000000', '000000000', '0000000000', '88888888', '99999999', '66666666',
  '77777777', '55555555', '22222222', '12341234', '87654321', '98765432', '987654321',
  '0987654321', '11223344', '12121212', '13131313', '12344321', '1q2w3e4r', '1q2w3e4r5t',
  '1q2w3e4r5t6y', '1qaz2wsx', '1qazxsw2', 'zaq12wsx', 'qazwsxedc', 'qwertyui', 'qwertyuiop',
  'qwerty12', 'qwerty123', 'qwerty1234', 'qwerty123456', 'asdfghjk', 'asdfghjkl', 'zxcvbnm1',
  'zxcvbnm123', 'q1w2e3r4', 'q1w2e3r4t5', 'a1b2c3d4', 'abcd1234', 'abc12345', 'abc123456',
  'abcdefgh', 'password', 'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd',
  'p@ssword', 'pa$$word', 'iloveyou', 'iloveyou1', 'sunshine', 'princess', 'football',
  'baseball', 'welcome1', 'welcome123', 'trustno1', 'superman', 'starwars', 'whatever',
  'computer', 'internet', 'michael1', 'jennifer', 'charlie1', 'mustang1', 'master123',
  'letmein1', 'letmein123', 'admin123', 'admin1234', 'administrator', 'changeme', 'changeme1',
  'default1', 'secret123', 'monkey123', 'dragon123', 'shadow123', 'killer123', 'freedom1',
  'qwe12345', 'qweasdzxc', 'qweqweqwe', 'asdasdasd', 'zxczxczxc', 'aaaaaaaa', 'samsung1',
  'samsung123', 'google123', 'facebook', 'instagram', 'telegram', 'telegram123', 'parol123',
  'parol1234', 'parolparol', 'parollar', 'uzbekistan', 'uzbekistan1', 'toshkent', 'tashkent',
  'tashkent1', 'samarkand', 'samarqand', 'assalomu', 'salom123', 'salom1234', 'doktor123',
  'doctor123', 'medicine', 'medora123', 'yandex123', 'marina123', 'natasha1', 'zxcvbnma',
  'ytrewq123', 'йцукенгш', 'йцукен123', 'пароль123', 'parol12345', 'qwertyqwerty',
  'passwordpassword', '123qweasd', '123qweasdzxc', '1234qwer', 'q1w2e3r4t5y6', 'zaq1xsw2',
  'qwerty11', 'qwerty7', '123456qwerty', 'qwerty654321', '147258369', '159753456', '741852963',
  '789456123', '123654789', '963852741', '12qwaszx', '20202020', '20212021', '20222022',
  '20232023', '20242024', '20252025', '20262026', '19901990', '1234abcd', '1234qwerty',
]);

export function isCommonPassword(password: string): boolean {
  return commonPasswords.has(password.toLowerCase());
}
