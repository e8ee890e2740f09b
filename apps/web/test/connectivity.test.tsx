// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OfflineBanner } from '../src/components/offline-banner';
import { initI18n } from '../src/i18n';
import { authStore, useSignedOutReason } from '../src/lib/auth-store';
import { onlineManager } from '@tanstack/react-query';
import { connectivity, createConnectivity, problemOf } from '../src/lib/connectivity';
import '../src/lib/query-client';

const i18n = initI18n('en');

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  connectivity.setBrowserOnline(true);
  connectivity.setApiReachable(true);
});

describe('connectivity', () => {
  it('names the browser being offline before the server being away', () => {
    expect(problemOf({ browserOnline: true, apiReachable: true })).toBeNull();
    expect(problemOf({ browserOnline: true, apiReachable: false })).toBe('unreachable');
    expect(problemOf({ browserOnline: false, apiReachable: false })).toBe('offline');
    expect(problemOf({ browserOnline: false, apiReachable: true })).toBe('offline');
  });

  it('probes the server with growing pauses while it is unreachable, until it answers', async () => {
    vi.useFakeTimers();
    const answers = [false, false, true];
    const probe = vi.fn(() => Promise.resolve(answers.shift() ?? true));
    const store = createConnectivity({ probe, probeDelaysMs: [100, 200] });
    const seen: boolean[] = [];
    store.subscribe(() => seen.push(store.get().apiReachable));

    store.setApiReachable(false);
    expect(seen).toEqual([false]);
    await vi.advanceTimersByTimeAsync(99);
    expect(probe).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(probe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(199);
    expect(probe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(probe).toHaveBeenCalledTimes(2);
    // The last pause repeats.
    await vi.advanceTimersByTimeAsync(200);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(store.get().apiReachable).toBe(true);
    expect(seen).toEqual([false, true]);
    // Reachable again: no more probes.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(probe).toHaveBeenCalledTimes(3);
  });

  it('stops probing when a request gets through, and while the browser is offline', async () => {
    vi.useFakeTimers();
    const probe = vi.fn(() => Promise.resolve(false));
    const store = createConnectivity({ probe, probeDelaysMs: [100] });
    store.setApiReachable(false);
    store.setApiReachable(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(probe).not.toHaveBeenCalled();

    store.setApiReachable(false);
    store.setBrowserOnline(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(probe).not.toHaveBeenCalled();
  });

  it('clears "unreachable" when the browser comes back online', () => {
    const store = createConnectivity({ probe: () => Promise.resolve(false) });
    store.setBrowserOnline(false);
    store.setApiReachable(false);
    expect(problemOf(store.get())).toBe('offline');
    store.setBrowserOnline(true);
    expect(problemOf(store.get())).toBeNull();
  });

  it('follows the browser’s online and offline events', () => {
    window.dispatchEvent(new Event('offline'));
    expect(connectivity.get().browserOnline).toBe(false);
    window.dispatchEvent(new Event('online'));
    expect(connectivity.get().browserOnline).toBe(true);
  });

  it('is what TanStack Query takes for online (paused queries and mutations depend on it)', () => {
    connectivity.setBrowserOnline(false);
    expect(onlineManager.isOnline()).toBe(false);
    connectivity.setBrowserOnline(true);
    expect(onlineManager.isOnline()).toBe(true);
  });
});

describe('connectivity banner', () => {
  it.each([
    ['en', 'You are offline', 'MedoraAI cannot be reached'],
    ['ru', 'Нет подключения к интернету', 'MedoraAI сейчас недоступен'],
    ['uz', 'Internetga ulanmagansiz', 'MedoraAI bilan bogʻlanib boʻlmayapti'],
  ])('names the cause in %s and is empty otherwise', async (locale, offline, unreachable) => {
    await i18n.changeLanguage(locale);
    render(<OfflineBanner />);
    const banner = screen.getByRole('status');
    expect(banner.textContent).toBe('');

    act(() => connectivity.setApiReachable(false));
    expect(banner.textContent).toContain(unreachable);
    act(() => connectivity.setBrowserOnline(false));
    expect(banner.textContent).toContain(offline);
    act(() => connectivity.setBrowserOnline(true));
    expect(banner.textContent).toBe('');
    act(() => connectivity.setApiReachable(false));
    act(() => connectivity.setApiReachable(true));
    expect(banner.textContent).toBe('');
    await i18n.changeLanguage('en');
  });
});

describe('connectivity banner: saved data', () => {
  it('mentions saved data only to a signed-in doctor', () => {
    authStore.clear();
    render(<OfflineBanner />);
    const banner = screen.getByRole('status');
    act(() => connectivity.setApiReachable(false));
    expect(banner.textContent).toBe('MedoraAI cannot be reached right now. We keep trying.');
    act(() => authStore.setOffline());
    expect(banner.textContent).toContain('Saved data is shown');
    act(() => connectivity.setBrowserOnline(false));
    expect(banner.textContent).toContain(
      'Saved data is shown; changes are sent when you reconnect',
    );
    act(() => authStore.clear());
    expect(banner.textContent).toBe('You are offline. Signing in needs a connection.');
    authStore.reset();
  });
});

describe('signed-out reason', () => {
  function Reason() {
    return <p>{useSignedOutReason() ?? 'none'}</p>;
  }

  it('is kept until cleared or until the next sign-in', () => {
    render(<Reason />);
    expect(screen.getByText('none')).toBeTruthy();
    act(() => authStore.clear('password_changed'));
    expect(screen.getByText('password_changed')).toBeTruthy();
    act(() => authStore.clearSignedOutReason());
    expect(screen.getByText('none')).toBeTruthy();

    act(() => authStore.clear('user_revoked'));
    act(() =>
      authStore.setSession({
        accessToken: 't',
        accessTokenExpiresAt: new Date(),
        user: {
          id: '6f1d1c8e-8a47-4c53-9d8e-2f8f7c1f4a10',
          phone: '+998901234567',
          name: 'Aziza Karimova',
          role: 'doctor',
          locale: 'uz',
          email: null,
        },
      }),
    );
    expect(authStore.getSignedOutReason()).toBeNull();
    authStore.reset();
  });
});
