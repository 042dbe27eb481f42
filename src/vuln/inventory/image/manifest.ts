/**
 * Choosing the image and its layers from an OCI index or a `docker save` manifest.json.
 */
import { inputError, isRecord, parseJsonText } from '../errors.js';

export interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}

export interface ImagePlan {
  /** What findings are reported against: the manifest digest (OCI) or the image ID (docker save). */
  digest: string;
  /** Layer locations in order (digests for OCI, archive paths for docker save). */
  layers: Array<{ ref: string; digest?: string; mediaType?: string }>;
  tags: string[];
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const LAYER_TYPE = /^application\/vnd\.(oci\.image\.layer\.v1\.tar|docker\.image\.rootfs\.diff\.tar)(\.gzip|\+gzip|\+zstd)?$/;

function descriptors(doc: unknown, file: string, key: 'manifests' | 'layers'): Descriptor[] {
  if (!isRecord(doc) || !Array.isArray(doc[key])) throw inputError(file, `expected a "${key}" array`, { line: 1 });
  return (doc[key] as unknown[]).map((d, i) => {
    if (!isRecord(d) || typeof d.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(d.digest)) throw inputError(file, `${key}[${i}] has no valid sha256 "digest"`);
    return d as unknown as Descriptor;
  });
}

/** `linux/amd64` or `linux/arm64/v8`. */
export function parsePlatform(s: string): { os: string; architecture: string; variant?: string } {
  const [os, architecture, variant] = s.split('/');
  if (!os || !architecture) throw inputError('--platform', `"${s}" is not os/architecture[/variant]`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * Walks an OCI index (nested indexes included) to one image manifest.
 * @param readBlob returns a blob's text by digest
 */
export async function planOci(indexText: string, indexFile: string, readBlob: (digest: string) => Promise<string>, opts: { platform?: string; tag?: string } = {}): Promise<ImagePlan> {
  const want = parsePlatform(opts.platform ?? 'linux/amd64');
  let list = descriptors(parseJsonText(indexText, indexFile), indexFile, 'manifests');
  const tags = list.map((d) => d.annotations?.['org.opencontainers.image.ref.name']).filter((x): x is string => !!x);
  if (opts.tag) {
    list = list.filter((d) => d.annotations?.['org.opencontainers.image.ref.name'] === opts.tag || d.annotations?.['io.containerd.image.name']?.endsWith(`:${opts.tag}`));
    if (list.length === 0) throw inputError(indexFile, `no image tagged "${opts.tag}" (tags: ${tags.join(', ') || 'none'})`);
  }
  for (let depth = 0; depth < 4; depth++) {
    // Attestation manifests (`unknown/unknown`) are not images.
    const images = list.filter((d) => d.platform?.os !== 'unknown');
    const pick =
      images.length <= 1
        ? images[0] ?? list[0]
        : images.find((d) => d.platform?.os === want.os && d.platform?.architecture === want.architecture && (!want.variant || d.platform?.variant === want.variant));
    if (!pick) {
      const have = images.map((d) => [d.platform?.os, d.platform?.architecture, d.platform?.variant].filter(Boolean).join('/')).join(', ');
      throw inputError(indexFile, `no image for platform ${opts.platform ?? 'linux/amd64'} (available: ${have}); pass --platform`);
    }
    const text = await readBlob(pick.digest);
    const doc = parseJsonText(text, `blob ${pick.digest}`);
    const mt = (isRecord(doc) && typeof doc.mediaType === 'string' ? doc.mediaType : pick.mediaType) ?? '';
    if (INDEX_TYPES.has(mt) || (isRecord(doc) && Array.isArray(doc.manifests))) {
      list = descriptors(doc, `blob ${pick.digest}`, 'manifests');
      continue;
    }
    const layers = descriptors(doc, `manifest ${pick.digest}`, 'layers').map((l) => {
      if (l.mediaType && !LAYER_TYPE.test(l.mediaType)) throw inputError(`manifest ${pick.digest}`, `unsupported layer media type ${l.mediaType}`);
      return { ref: l.digest, digest: l.digest, ...(l.mediaType ? { mediaType: l.mediaType } : {}) };
    });
    return { digest: pick.digest, layers, tags };
  }
  throw inputError(indexFile, 'image indexes nested too deeply');
}

/** `docker save`'s manifest.json: `[{Config, RepoTags, Layers}]`. The image ID is the config's digest. */
export function planDockerSave(text: string, file: string, opts: { tag?: string } = {}): ImagePlan & { warnings: string[] } {
  const doc = parseJsonText(text, file);
  if (!Array.isArray(doc) || doc.length === 0) throw inputError(file, 'expected a non-empty array of images', { line: 1 });
  const images = doc.filter(isRecord);
  const chosen = opts.tag ? images.find((i) => Array.isArray(i.RepoTags) && i.RepoTags.some((t) => t === opts.tag || String(t).endsWith(`:${opts.tag}`))) : images[0];
  if (!chosen) throw inputError(file, `no image tagged "${opts.tag}"`);
  if (typeof chosen.Config !== 'string' || !Array.isArray(chosen.Layers)) throw inputError(file, 'image entry needs "Config" and "Layers"');
  const hex = /([0-9a-f]{64})(\.json)?$/.exec(chosen.Config)?.[1];
  if (!hex) throw inputError(file, `cannot read the image ID from Config "${chosen.Config}"`);
  const warnings = images.length > 1 && !opts.tag ? [`${file}: ${images.length} images in the archive; scanned the first (pass --tag to choose)`] : [];
  return {
    digest: `sha256:${hex}`,
    layers: chosen.Layers.map((l) => ({ ref: String(l) })),
    tags: Array.isArray(chosen.RepoTags) ? chosen.RepoTags.map(String) : [],
    warnings,
  };
}
