// Svelte compiler options. vite.config.ts passes this file explicitly, because Vite's root is src/.
export default {
  compilerOptions: { runes: true },
};
