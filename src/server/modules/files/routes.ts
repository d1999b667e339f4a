/** Uploads and permission-checked downloads. Files are filed under the uploader's region and org. */
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { files } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { MAX_UPLOAD_BYTES } from '../../platform/files.ts';
import { errorResponses, iso, isoString, uuidParam } from '../../platform/schemas.ts';
import { scopeWhere } from '../../platform/scope.ts';

const fileSchema = z.object({
  id: z.string(),
  sha256: z.string(),
  size: z.number(),
  mime: z.string(),
  originalName: z.string(),
  entity: z.string().nullable(),
  entityId: z.string().nullable(),
  createdAt: isoString,
});

type FileRow = typeof files.$inferSelect;
const present = (f: FileRow) => ({
  id: f.id,
  sha256: f.sha256,
  size: f.size,
  mime: f.mime,
  originalName: f.originalName,
  entity: f.entity,
  entityId: f.entityId,
  createdAt: iso(f.createdAt)!,
});

export async function fileRoutes(base: FastifyInstance) {
  const app = base.withTypeProvider<ZodTypeProvider>();
  const deps = base.deps;
  const { db } = deps.database;

  async function findInScope(req: { auth: import('../../platform/context.ts').AuthContext | null }, id: string) {
    const [row] = await db
      .select()
      .from(files)
      .where(and(eq(files.id, id), scopeWhere(req.auth!.scope, { region: files.regionCode, org: files.orgId })));
    if (!row) throw new AppError('NOT_FOUND');
    return row;
  }

  app.post(
    '/api/v1/files',
    {
      config: { access: 'files:upload' },
      schema: {
        tags: ['files'],
        summary: 'Upload one file (multipart field "file"; png, jpg, webp, pdf, xlsx, docx; ≤ 20 MB)',
        consumes: ['multipart/form-data'],
        response: { 201: fileSchema, ...errorResponses, 413: errorResponses[400], 415: errorResponses[400] },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const part = await req.file({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', {}, { fields: [{ field: 'file', message: 'required' }] });
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw new AppError('FILE_TOO_LARGE', { limitMb: 20 });
      const blob = await deps.files.put(bytes);
      const auth = req.auth!;
      const regionCode = auth.scope.rootRegion ?? auth.user.scopeRegionCode;
      if (!regionCode) throw new AppError('FORBIDDEN');
      const originalName = part.filename.replace(/[\\/\0]/g, '_').slice(0, 200) || 'file';
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(files)
          .values({ ...blob, originalName, ownerId: auth.user.id, orgId: auth.user.orgId, regionCode })
          .returning();
        await deps.audit.write(tx, req.actor(), {
          action: 'file.upload',
          entity: 'file',
          entityId: created!.id,
          regionCode,
          summary: { size: blob.size, mime: blob.mime, sha256: blob.sha256 },
        });
        return created!;
      });
      reply.status(201);
      return present(row);
    },
  );

  app.get(
    '/api/v1/files/:id',
    {
      config: { access: 'files:read', entity: 'file' },
      schema: { tags: ['files'], params: uuidParam, response: { 200: fileSchema, ...errorResponses } },
    },
    async (req) => present(await findInScope(req, req.params.id)),
  );

  app.get(
    '/api/v1/files/:id/content',
    {
      config: { access: 'files:read', entity: 'file' },
      schema: { tags: ['files'], summary: 'Download (always as an attachment)', params: uuidParam },
    },
    async (req, reply) => {
      const row = await findInScope(req, req.params.id);
      const bytes = await deps.files.read(row.sha256);
      // Every download is audited (issue #16, AU-01): who, which file, its size and the caller's scope.
      await deps.audit.writeAlone(db, req.actor(), {
        action: 'file.download',
        entity: 'file',
        entityId: row.id,
        regionCode: row.regionCode,
        summary: {
          name: row.originalName,
          size: row.size,
          mime: row.mime,
          attachedTo: row.entity ? `${row.entity}:${row.entityId}` : null,
          scope: { kind: req.auth!.scope.kind, region: req.auth!.scope.rootRegion, org: req.auth!.scope.orgId },
        },
      });
      reply
        .header('content-type', row.mime)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(row.originalName)}`,
        );
      return reply.send(bytes);
    },
  );
}
