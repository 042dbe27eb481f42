import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidInputError } from '../../errors.js';
import { readInventory } from '../../vuln/inventory/index.js';
import { SBOM_SPEC_VERSIONS, inventoryBom, serializeBom, type SbomSpec } from '../../vuln/sbom.js';
import { toolVersion } from './scan.js';

export function registerSbom(program: Command): void {
  program
    .command('sbom')
    .description('Write a software bill of materials for a project, root filesystem or image')
    .argument('[path]', 'a lockfile, project or root filesystem folder, SBOM, OCI image layout or docker-save tarball', '.')
    .option('--format <format>', 'output format (only cyclonedx)', 'cyclonedx')
    .option('--spec <version>', `CycloneDX specification version: ${SBOM_SPEC_VERSIONS.join(', ')}`, '1.5')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--platform <os/arch>', 'image platform in a multi-platform image (default linux/amd64)')
    .option('--tag <tag>', 'image to describe when an archive holds several')
    .addHelpText(
      'after',
      `
Reads the same inputs as \`esq scan\`; an unreadable input is an error (exit 2), never an empty SBOM.

Examples:
  esq sbom . --format cyclonedx -o bom.cdx.json
  esq sbom image.tar --spec 1.6`,
    )
    .action(async (path: string, o: { format: string; spec: string; output?: string; platform?: string; tag?: string }) => {
      if (o.format.toLowerCase() !== 'cyclonedx') throw new InvalidInputError(`--format "${o.format}" is not supported; use cyclonedx`);
      if (!(SBOM_SPEC_VERSIONS as string[]).includes(o.spec)) throw new InvalidInputError(`--spec "${o.spec}" is not one of ${SBOM_SPEC_VERSIONS.join(', ')}`);
      const inv = await readInventory(path, { ...(o.platform ? { platform: o.platform } : {}), ...(o.tag ? { tag: o.tag } : {}) });
      const text = serializeBom(inventoryBom(inv, { toolVersion: toolVersion() }).bom, o.spec as SbomSpec);
      if (o.output) writeFileSync(o.output, text);
      else process.stdout.write(text);
      for (const w of inv.warnings) process.stderr.write(`warning: ${w}\n`);
    });
}
