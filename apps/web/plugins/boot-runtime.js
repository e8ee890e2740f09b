// The page's first script (see plugins/boot.ts). The build replaces the placeholder below with
// { modules: the entry's static imports in evaluation order, entry: the app's entry chunk }.
const { modules, entry } = __BOOT__;
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Resolves once the browser has painted the page (its first contentful paint), or after 2 s: a
 * browser without paint timing, or a page opened in the background, does not wait for one.
 */
function firstPaint() {
  if (
    document.visibilityState === 'hidden' ||
    !PerformanceObserver.supportedEntryTypes?.includes('paint')
  ) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntriesByName('first-contentful-paint').length) done();
    });
    const timer = setTimeout(done, 2000);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      resolve();
    }
    observer.observe({ type: 'paint', buffered: true });
  });
}

async function start() {
  const prerendered = document.getElementById('root')?.hasAttribute('data-prerendered');
  if (prerendered) {
    // The page is readable already: let the browser paint it before asking for the code, then
    // fetch every chunk at once, as index.html's modulepreload links do on other pages.
    await firstPaint();
    for (const href of [...modules, entry]) {
      const link = document.createElement('link');
      link.rel = 'modulepreload';
      link.crossOrigin = '';
      link.href = href;
      document.head.append(link);
    }
  }
  // One chunk per task, so the browser can paint and answer input between them.
  for (const href of modules) {
    await import(href);
    await nextTask();
  }
  await import(entry);
}

start().catch((error) => {
  console.error('MedoraAI could not start:', error);
});
