/**
 * The environment a stdio server child starts with. By default not the whole environment of
 * the host (which may hold API keys and tokens meant for the host alone) but the variables a
 * process needs to run (search path, home, user, locale, temp dir, terminal), plus the ones
 * the configuration names. `inheritEnv: true` passes everything, as before.
 */

/** Variables passed to a child by default, per platform family. */
export const SAFE_ENV_VARIABLES: Readonly<Record<'posix' | 'win32', readonly string[]>> = {
  posix: ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TERM', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR'],
  win32: [
    'PATH', 'PATHEXT', 'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'TEMP', 'TMP', 'USERNAME', 'USERPROFILE', 'USERDOMAIN',
    'HOMEDRIVE', 'HOMEPATH', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA', 'PROGRAMFILES', 'PROGRAMFILES(X86)', 'PROCESSOR_ARCHITECTURE', 'NUMBER_OF_PROCESSORS',
  ],
};

export interface ChildEnvOptions {
  /** Set over the safe variables; a variable set to `undefined` is removed. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Pass the whole parent environment (the old behaviour). Default false. */
  inheritEnv?: boolean | undefined;
}

/** The child's environment from `parent` (default `process.env`) on `platform`. */
export function childEnvironment(options: ChildEnvOptions, parent: NodeJS.ProcessEnv = process.env, platform: string = process.platform): Record<string, string> {
  const out: Record<string, string> = {};
  if (options.inheritEnv) {
    for (const [key, value] of Object.entries(parent)) if (value !== undefined) out[key] = value;
  } else {
    const windows = platform === 'win32';
    // Windows names are case-insensitive: match them whatever case the parent used.
    const wanted = new Set(SAFE_ENV_VARIABLES[windows ? 'win32' : 'posix'].map((n) => (windows ? n.toUpperCase() : n)));
    for (const [key, value] of Object.entries(parent)) {
      // An exported shell function ("() { ...") is code, not a setting: never passed on.
      if (value === undefined || value.startsWith('()')) continue;
      if (wanted.has(windows ? key.toUpperCase() : key)) out[key] = value;
    }
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete out[key];
    else out[key] = value;
  }
  return out;
}
