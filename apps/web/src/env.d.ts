/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The web app's version, baked in at build time (cache buster for the persisted queries). */
  readonly VITE_APP_VERSION?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
