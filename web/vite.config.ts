import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The console's production build (`npm run build:console`): one static folder, `web/dist`, with
 * relative asset URLs (`base: "./"`) so the same files work under `/console/` on the local stack
 * and at the root of the CloudFront distribution. Nothing is loaded from a CDN at run time.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    rolldownOptions: {
      // TanStack marks its modules "use client" (a React Server Components hint); meaningless here.
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
    },
    reportCompressedSize: false,
    // No inline scripts or styles: the Content-Security-Policy allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
