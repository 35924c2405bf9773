// Packaging is checked here instead of by building installers: installers need an Electron
// download, which an offline machine cannot do. electron-builder.yml is read with electron-builder's
// own loader and checked against its own schema; every file it names is checked (icons by their
// real pixel sizes); the paths the shell loads at run time are checked against the vite builds;
// and, once `npm run build` has produced out/, a real electron-builder `dir` packaging run with a
// stand-in Electron binary shows exactly what lands in app.asar, what is unpacked, and which
// fuses electron-builder flips.
import { beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { Arch, Platform, build, type Configuration, type FileSet, type TargetConfigType } from 'electron-builder';
import nodeViteConfig from '../../vite.node.config';
import preloadViteConfig from '../../vite.preload.config';
import rendererViteConfig from '../../vite.renderer.config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const configPath = path.join(root, 'electron-builder.yml');
const abs = (rel: string): string => path.join(root, rel);

type Fuses = NonNullable<Configuration['electronFuses']>;
type FuseName = Exclude<keyof Fuses, 'resetAdHocDarwinSignature'>;

/** The fuses as the brief for this app sets them; docs/packaging.md explains each. */
const EXPECTED_FUSES: Record<FuseName, boolean> = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: false,
};

/** Position of each fuse in Electron's V1 fuse wire (@electron/fuses FuseV1Options; fixed by Electron). */
const FUSE_WIRE_ORDER: readonly FuseName[] = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

const LINUX_ICON_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024] as const;

// ---------------------------------------------------------------------------------------------
// small readers

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(rel: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(abs(rel), 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${rel} is not a JSON object`);
  return parsed;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!buf.subarray(0, 8).equals(signature) || buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}
const pngFileSize = (rel: string): { width: number; height: number } => pngSize(readFileSync(abs(rel)));

/** The images in a Windows .ico: their declared sizes, and PNG-compressed ones' real sizes. */
interface IcoImage {
  width: number;
  height: number;
  pngSize: { width: number; height: number } | null;
}
function icoImages(buf: Buffer): IcoImage[] {
  if (buf.readUInt16LE(0) !== 0 || buf.readUInt16LE(2) !== 1) throw new Error('not an ICO');
  const count = buf.readUInt16LE(4);
  const images: IcoImage[] = [];
  for (let i = 0; i < count; i++) {
    const entry = 6 + i * 16;
    const width = buf.readUInt8(entry) || 256;
    const height = buf.readUInt8(entry + 1) || 256;
    const size = buf.readUInt32LE(entry + 8);
    const offset = buf.readUInt32LE(entry + 12);
    expect(offset + size).toBeLessThanOrEqual(buf.length);
    const data = buf.subarray(offset, offset + size);
    const isPng = data.subarray(1, 4).toString('latin1') === 'PNG';
    images.push({ width, height, pngSize: isPng ? pngSize(data) : null });
  }
  return images;
}

/** The element types in a macOS .icns, checking the container's lengths on the way. */
function icnsTypes(buf: Buffer): string[] {
  if (buf.toString('latin1', 0, 4) !== 'icns') throw new Error('not an ICNS');
  expect(buf.readUInt32BE(4)).toBe(buf.length);
  const types: string[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at + 4);
    expect(length).toBeGreaterThan(8);
    types.push(buf.toString('latin1', at, at + 4));
    at += length;
  }
  return types;
}

/** A glob as electron-builder's file patterns use them (`**` any depth, `*` within a segment). */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob.charAt(i + 1) === '*') {
      // "dir/**" also matches "dir" itself; "**/x" matches "x" at any depth
      if (glob.charAt(i + 2) === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/**
 * Whether a project-relative file is packaged by these patterns, evaluated like electron-builder's
 * filter (minimatchAll: patterns in order, a later include can re-include, a later "!" excludes).
 */
function packagedBy(patterns: readonly string[], file: string): boolean {
  let match = false;
  for (const pattern of patterns) {
    const negate = pattern.startsWith('!');
    if (match !== negate) continue;
    match = globToRegExp(negate ? pattern.slice(1) : pattern).test(file) !== negate;
  }
  return match;
}

/** The patterns of the app's own files (the FileSets without from/to: electron-builder's default matcher). */
function filePatterns(files: Configuration['files']): string[] {
  const list: (string | FileSet)[] = files == null ? [] : Array.isArray(files) ? files : [files];
  const patterns: string[] = [];
  for (const item of list) {
    if (typeof item === 'string') patterns.push(item);
    else {
      expect(item.from ?? null, 'every packaged file comes from the project itself').toBeNull();
      expect(item.to ?? null).toBeNull();
      const filter = item.filter ?? [];
      patterns.push(...(typeof filter === 'string' ? [filter] : filter));
    }
  }
  return patterns;
}

function targetNames(target: TargetConfigType | undefined): string[] {
  if (target == null) return [];
  const list = Array.isArray(target) ? target : [target];
  return list.map((t) => (typeof t === 'string' ? t : t.target));
}

/** Every file under a project-relative directory, project-relative, with "/" separators. */
function filesUnder(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(abs(dir), { withFileTypes: true })) {
      const child = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk(rel);
  return out;
}

/**
 * The path the shell builds with `path.join(here, ...)` for a given constant in
 * main/shell/index.ts, resolved against where the shell runs from (the directory of package.json#main).
 */
function shellPath(source: string, constant: RegExp, mainDir: string): string {
  const m = constant.exec(source);
  if (!m?.[1]) throw new Error(`main/shell/index.ts no longer builds ${constant.source}`);
  const parts = [...m[1].matchAll(/'([^']*)'/g)].map((p) => p[1] ?? '');
  expect(m[1].replace(/'[^']*'/g, '').replace(/[\s,]/g, ''), 'only string literals after `here`').toBe('');
  return path.posix.join(mainDir, ...parts);
}

/** The file a vite SSR build writes for one named input, from its outDir and entryFileNames. */
function viteEntryOutput(config: typeof nodeViteConfig, name: string): { source: string; output: string } {
  const b = config.build;
  if (!b?.outDir) throw new Error('vite config has no build.outDir');
  const rollup = b.rollupOptions;
  const input = rollup?.input;
  if (!isRecord(input)) throw new Error('vite config input is not a named map');
  const source = input[name];
  if (typeof source !== 'string') throw new Error(`vite config has no input named ${name}`);
  const output = rollup?.output;
  const first = Array.isArray(output) ? output[0] : output;
  const pattern = first?.entryFileNames;
  if (typeof pattern !== 'string') throw new Error('vite config entryFileNames is not a string');
  return { source, output: path.posix.join(b.outDir, pattern.replace('[name]', name)) };
}

// ---------------------------------------------------------------------------------------------

let config: Configuration;
const pkg = readJson('package.json');

beforeAll(async () => {
  config = await getConfig(root, configPath, null);
});

describe('electron-builder.yml', () => {
  it('is accepted by electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is validated for real: a misspelt fuse is rejected by the same check', async () => {
    const fuses: Record<string, boolean> = { ...EXPECTED_FUSES, runAsnode: false };
    const bad: Configuration = { ...config, electronFuses: fuses };
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('names the app and its directories', () => {
    expect(config.appId).toBe('com.switchboard.console');
    expect(config.productName).toBe('Switchboard');
    expect(config.productName).toBe(pkg['productName']);
    expect(config.directories?.buildResources).toBe('build');
    expect(config.directories?.output).toBe('dist');
    expect(config.publish).toBeNull();
  });

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS', () => {
    expect(targetNames(config.linux?.target)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
  });

  it('sets every fuse explicitly, each to its intended value', () => {
    const fuses = config.electronFuses;
    expect(fuses).toBeTruthy();
    for (const [name, value] of Object.entries(EXPECTED_FUSES)) {
      expect(fuses?.[name as FuseName], name).toBe(value);
    }
  });

  it('leaves no fuse that this electron-builder knows about to Electron’s default', () => {
    const scheme = readJson('node_modules/app-builder-lib/scheme.json');
    const definitions = scheme['definitions'];
    const fuseDef = isRecord(definitions) ? definitions['FuseOptionsV1'] : undefined;
    const properties = isRecord(fuseDef) ? fuseDef['properties'] : undefined;
    if (!isRecord(properties)) throw new Error('scheme.json has no FuseOptionsV1');
    const known = Object.keys(properties).filter((k) => k !== 'resetAdHocDarwinSignature');
    expect(known.sort()).toEqual(Object.keys(EXPECTED_FUSES).sort());
    for (const name of known) expect(typeof (config.electronFuses as Record<string, unknown> | null)?.[name], name).toBe('boolean');
  });

  it('packs the app into an asar and unpacks keytar’s native module', () => {
    expect(config.asar).toBe(true);
    const unpack = config.asarUnpack;
    const patterns = unpack == null ? [] : Array.isArray(unpack) ? unpack : [unpack];
    expect(patterns).toContain('**/node_modules/keytar/**');
    for (const file of ['node_modules/keytar/build/Release/keytar.node', 'node_modules/keytar/lib/keytar.js']) {
      expect(patterns.some((p) => globToRegExp(p).test(file)), file).toBe(true);
    }
    // keytar must be rebuilt for Electron's ABI, so dependency rebuild stays on.
    expect(config.npmRebuild).not.toBe(false);
    expect(pkg['dependencies']).toHaveProperty('keytar');
  });

  it('packages the built app and package.json, never sources, tests, docs or source maps', () => {
    const patterns = filePatterns(config.files);
    for (const include of patterns.filter((p) => !p.startsWith('!'))) {
      expect(include, 'each include names build output, the tray icons or package.json').toMatch(
        /^(out\/(main|preload|renderer)\/\*\*|build\/tray(@2x)?\.png|package\.json)$/,
      );
    }
    const packaged = (file: string): boolean => packagedBy(patterns, file);
    for (const file of [
      'package.json',
      'out/main/index.js',
      'out/main/chunks/registry-abc.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc.js',
      'build/tray.png',
      'build/tray@2x.png',
    ]) {
      expect(packaged(file), `${file} is packaged`).toBe(true);
    }
    for (const file of [
      'out/main/index.js.map',
      'out/renderer/assets/index-abc.js.map',
      'out/main/browser.js',
      'out/bench/grid.js',
      'main/shell/index.ts',
      'preload/index.ts',
      'preload/contract.ts',
      'renderer/src/App.svelte',
      'renderer/index.html',
      'test/unit/packaging.test.ts',
      'docs/packaging.md',
      'README.md',
      'scripts/render-icons.sh',
      'electron-builder.yml',
      'tsconfig.json',
      'vite.node.config.ts',
      'build/icon.svg',
      'build/icon.png',
      'build/entitlements.mac.plist',
    ]) {
      expect(packaged(file), `${file} is not packaged`).toBe(false);
    }
  });

  it('describes the Linux packages: category, maintainer, desktop entry, libsecret for keytar', () => {
    const linux = config.linux;
    expect(['Office', 'Utility']).toContain(linux?.category);
    expect(linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(linux?.executableName).toBe('switchboard');
    expect(linux?.desktop?.entry?.['Name']).toBe('Switchboard');
    expect(linux?.desktop?.entry?.['Exec'], 'electron-builder refuses desktop.entry.Exec').toBeUndefined();
    expect(config.deb?.depends).toContain('libsecret-1-0');
    // setting `depends` replaces electron-builder's list, so Electron's own libraries must stay
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libnotify4', 'libxss1', 'libxtst6', 'xdg-utils']));
    // the .deb refuses to build without a homepage; package.json has none
    const extra: unknown = config.extraMetadata;
    expect(isRecord(extra) && typeof extra['homepage'] === 'string').toBe(true);
    expect(isRecord(extra) && extra['desktopName']).toBe('switchboard.desktop');
  });

  it('describes the Windows installer and the macOS app', () => {
    expect(config.nsis?.oneClick).toBe(false);
    expect(config.nsis?.allowToChangeInstallationDirectory).toBe(true);
    expect(config.mac?.category).toBe('public.app-category.business');
    expect(config.mac?.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(abs(config.mac?.entitlements ?? 'missing'), 'utf8');
    expect(entitlements).toContain('<key>com.apple.security.cs.allow-jit</key>');
    expect(config.mac?.entitlementsInherit).toBe(config.mac?.entitlements);
  });
});

describe('npm scripts', () => {
  it('`npm run dist` builds first, then packages with this config', () => {
    const scripts = pkg['scripts'];
    if (!isRecord(scripts)) throw new Error('package.json has no scripts');
    expect(scripts['dist']).toBe('npm run build && electron-builder --config electron-builder.yml');
    expect(scripts['dist:linux']).toMatch(/electron-builder --config electron-builder\.yml --linux$/);
    expect(scripts['dist:win']).toMatch(/electron-builder --config electron-builder\.yml --win$/);
    expect(scripts['dist:mac']).toMatch(/electron-builder --config electron-builder\.yml --mac$/);
    expect(pkg['devDependencies']).toHaveProperty('electron-builder');
    expect(pkg['devDependencies']).toHaveProperty('electron');
    expect(pkg['dependencies']).not.toHaveProperty('electron');
  });
});

describe('icons', () => {
  it('references only files that exist', () => {
    const referenced = [
      config.linux?.icon,
      config.win?.icon,
      config.mac?.icon,
      config.nsis?.installerIcon,
      config.nsis?.uninstallerIcon,
      config.nsis?.installerHeaderIcon,
      config.mac?.entitlements,
      config.mac?.entitlementsInherit,
    ];
    for (const rel of referenced) {
      expect(rel, 'every icon is set explicitly').toEqual(expect.stringMatching(/^build\//));
      expect(existsSync(abs(rel ?? '')), `${rel} exists`).toBe(true);
    }
    expect(existsSync(abs('build/icon.svg')), 'the vector source is kept').toBe(true);
    expect(existsSync(abs('build/tray.svg'))).toBe(true);
    expect(existsSync(abs('scripts/render-icons.sh'))).toBe(true);
  });

  it('has the 1024 px master and the Linux icon set at every size its file names claim', () => {
    expect(pngFileSize('build/icon.png')).toEqual({ width: 1024, height: 1024 });
    const dir = config.linux?.icon ?? 'missing';
    expect(statSync(abs(dir)).isDirectory()).toBe(true);
    const names = readdirSync(abs(dir)).filter((n) => n.endsWith('.png'));
    expect(names.sort()).toEqual(LINUX_ICON_SIZES.map((s) => `${s}x${s}.png`).sort());
    for (const size of LINUX_ICON_SIZES) {
      expect(pngFileSize(`${dir}/${size}x${size}.png`), `${size}x${size}`).toEqual({ width: size, height: size });
    }
  });

  it('has a multi-size Windows .ico up to 256 px', () => {
    const images = icoImages(readFileSync(abs(config.win?.icon ?? 'missing')));
    const sizes = images.map((i) => i.width);
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
    for (const image of images) {
      expect(image.height).toBe(image.width);
      if (image.pngSize) expect(image.pngSize).toEqual({ width: image.width, height: image.height });
    }
  });

  it('has a macOS .icns from 16 to 1024 px', () => {
    const types = icnsTypes(readFileSync(abs(config.mac?.icon ?? 'missing')));
    // 16 (is32 or icp4), 32 (il32 or icp5), 128 (it32 or ic07), 256 (ic08), 512 (ic09), 1024 (ic10)
    expect(types.some((t) => t === 'is32' || t === 'icp4')).toBe(true);
    expect(types.some((t) => t === 'il32' || t === 'icp5')).toBe(true);
    expect(types.some((t) => t === 'it32' || t === 'ic07')).toBe(true);
    expect(types).toEqual(expect.arrayContaining(['ic08', 'ic09', 'ic10']));
  });

  it('has a 22 px tray icon and its @2x twin, both packaged', () => {
    expect(pngFileSize('build/tray.png')).toEqual({ width: 22, height: 22 });
    expect(pngFileSize('build/tray@2x.png')).toEqual({ width: 44, height: 44 });
    const patterns = filePatterns(config.files);
    expect(packagedBy(patterns, 'build/tray.png')).toBe(true);
    expect(packagedBy(patterns, 'build/tray@2x.png')).toBe(true);
  });
});

describe('what the shell loads at run time matches what the build writes', () => {
  const shellSource = readFileSync(abs('main/shell/index.ts'), 'utf8');
  const main = String(pkg['main']);
  const mainDir = path.posix.dirname(main);

  it('package.json#main is the shell entry that vite.node.config.ts writes', () => {
    const { source, output } = viteEntryOutput(nodeViteConfig, 'index');
    expect(source).toBe('main/shell/index.ts');
    expect(main).toBe(output);
    expect(main).toBe('out/main/index.js');
    expect(packagedBy(filePatterns(config.files), main)).toBe(true);
  });

  it('the preload path in main/shell/index.ts is what vite.preload.config.ts writes', () => {
    const preload = shellPath(shellSource, /const preloadPath = path\.join\(here,([^)]*)\)/, mainDir);
    expect(preload).toBe('out/preload/index.cjs');
    expect(viteEntryOutput(preloadViteConfig, 'index')).toEqual({ source: 'preload/index.ts', output: preload });
    const output = preloadViteConfig.build?.rollupOptions?.output;
    expect(Array.isArray(output) ? undefined : output?.format, 'the sandboxed preload is CommonJS').toBe('cjs');
    expect(packagedBy(filePatterns(config.files), preload)).toBe(true);
  });

  it('the renderer directory the app protocol serves is where vite.renderer.config.ts writes', () => {
    const rendererDir = shellPath(shellSource, /const rendererDir = path\.join\(here,([^)]*)\)/, mainDir);
    const viteRoot = rendererViteConfig.root ?? '.';
    const outDir = rendererViteConfig.build?.outDir ?? 'dist';
    expect(path.posix.join(viteRoot, outDir)).toBe(rendererDir);
    expect(packagedBy(filePatterns(config.files), `${rendererDir}/index.html`)).toBe(true);
  });

  it('the tray icon path in main/shell/index.ts is a packaged file that exists', () => {
    const tray = shellPath(shellSource, /iconPath: path\.join\(here,([^)]*)\)/, mainDir);
    expect(tray).toBe('build/tray.png');
    expect(existsSync(abs(tray))).toBe(true);
    expect(packagedBy(filePatterns(config.files), tray)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// A real packaging run. Only Electron itself is stood in for: a small file carrying Electron's fuse
// wire (sentinel, version 1, length, one byte per fuse) set to the opposite of every intended
// value, so the run proves electron-builder flips each one. keytar is not rebuilt (that needs
// Electron's headers), everything else is the real thing.

interface AsarFile {
  path: string;
  unpacked: boolean;
  offset: number;
  size: number;
}

function readAsar(file: string): { files: AsarFile[]; read(entry: AsarFile): Buffer } {
  const buf = readFileSync(file);
  const headerSize = buf.readUInt32LE(4);
  const jsonLength = buf.readUInt32LE(12);
  const header: unknown = JSON.parse(buf.toString('utf8', 16, 16 + jsonLength));
  const files: AsarFile[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (!isRecord(node)) throw new Error(`bad asar entry ${prefix}`);
    const children = node['files'];
    if (isRecord(children)) {
      for (const [name, child] of Object.entries(children)) walk(child, prefix ? `${prefix}/${name}` : name);
    } else if (typeof node['link'] !== 'string') {
      files.push({
        path: prefix,
        unpacked: node['unpacked'] === true,
        offset: Number(node['offset'] ?? 0),
        size: Number(node['size'] ?? 0),
      });
    }
  };
  walk(header, '');
  return {
    files,
    read: (entry) => buf.subarray(8 + headerSize + entry.offset, 8 + headerSize + entry.offset + entry.size),
  };
}

const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) => existsSync(abs(f)));

describe.skipIf(!built)('a real electron-builder run (needs `npm run build` first)', () => {
  let work = '';
  let appOutDir = '';
  let asar: ReturnType<typeof readAsar>;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'switchboard-pack-'));
    const electronDist = path.join(work, 'electron');
    mkdirSync(electronDist);
    const wire = FUSE_WIRE_ORDER.map((name) => (EXPECTED_FUSES[name] ? '0' : '1')).join('');
    const binary = path.join(electronDist, 'electron');
    writeFileSync(
      binary,
      Buffer.concat([
        Buffer.from('#!/bin/sh\n# stand-in for the Electron binary\n#'),
        Buffer.from(FUSE_SENTINEL, 'latin1'),
        Buffer.from([1, FUSE_WIRE_ORDER.length]),
        Buffer.from(wire, 'latin1'),
        Buffer.from('\n'),
      ]),
    );
    chmodSync(binary, 0o755);
    const output = path.join(work, 'dist');
    await build({
      projectDir: root,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      // `extends` with a path loads electron-builder.yml exactly as `--config` does; these override it
      config: { extends: configPath, electronDist, npmRebuild: false, directories: { output } },
    });
    appOutDir = path.join(output, 'linux-unpacked');
    asar = readAsar(path.join(appOutDir, 'resources', 'app.asar'));
    return () => rmSync(work, { recursive: true, force: true });
  }, 180_000);

  it('flips every fuse to its intended value', () => {
    const exe = readFileSync(path.join(appOutDir, config.linux?.executableName ?? 'missing'));
    const at = exe.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    expect(exe[at]).toBe(1);
    FUSE_WIRE_ORDER.forEach((name, i) => {
      expect(String.fromCharCode(exe[at + 2 + i] ?? 0), name).toBe(EXPECTED_FUSES[name] ? '1' : '0');
    });
  });

  it('puts exactly the built app, package.json and the tray icons in app.asar', () => {
    const own = asar.files.map((f) => f.path).filter((p) => !p.startsWith('node_modules/'));
    const expected = [
      ...['out/main', 'out/preload', 'out/renderer'].flatMap(filesUnder).filter((f) => !f.endsWith('.map') && f !== 'out/main/browser.js'),
      'package.json',
      'build/tray.png',
      'build/tray@2x.png',
    ];
    expect(own.sort()).toEqual(expected.sort());
  });

  it('ships the production dependencies and none of the dev ones', () => {
    const modules = new Set(
      asar.files.filter((f) => f.path.startsWith('node_modules/')).map((f) => f.path.split('/').slice(1, f.path.split('/')[1]?.startsWith('@') ? 3 : 2).join('/')),
    );
    const deps = pkg['dependencies'];
    const devDeps = pkg['devDependencies'];
    if (!isRecord(deps) || !isRecord(devDeps)) throw new Error('package.json dependencies missing');
    for (const dep of Object.keys(deps)) expect(modules.has(dep), dep).toBe(true);
    for (const dev of Object.keys(devDeps)) expect(modules.has(dev), dev).toBe(false);
    expect(asar.files.some((f) => f.path.endsWith('.ts') && !f.path.endsWith('.d.ts') && !f.path.startsWith('node_modules/'))).toBe(false);
  });

  it('unpacks all of keytar beside the archive, native module included', () => {
    const keytar = asar.files.filter((f) => f.path.startsWith('node_modules/keytar/'));
    expect(keytar.length).toBeGreaterThan(0);
    for (const f of keytar) {
      expect(f.unpacked, f.path).toBe(true);
      expect(existsSync(path.join(appOutDir, 'resources', 'app.asar.unpacked', f.path)), f.path).toBe(true);
    }
    expect(keytar.map((f) => f.path)).toContain('node_modules/keytar/lib/keytar.js');
    if (existsSync(abs('node_modules/keytar/build/Release/keytar.node'))) {
      expect(keytar.map((f) => f.path)).toContain('node_modules/keytar/build/Release/keytar.node');
    }
    expect(asar.files.filter((f) => f.unpacked && !f.path.startsWith('node_modules/keytar/'))).toEqual([]);
  });

  it('writes a package.json whose main is in the archive, with no scripts or dev dependencies', () => {
    const entry = asar.files.find((f) => f.path === 'package.json');
    if (!entry) throw new Error('no package.json in app.asar');
    const packaged: unknown = JSON.parse(asar.read(entry).toString('utf8'));
    if (!isRecord(packaged)) throw new Error('packaged package.json is not an object');
    expect(packaged['main']).toBe(pkg['main']);
    expect(asar.files.map((f) => f.path)).toContain(packaged['main']);
    expect(packaged['type']).toBe('module');
    expect(packaged['desktopName']).toBe('switchboard.desktop');
    expect(packaged).not.toHaveProperty('scripts');
    expect(packaged).not.toHaveProperty('devDependencies');
  });
});
