import '../../lib/csp';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { FileListItem } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { Cell, Column, Row, Table, TableBody, TableHeader } from '../../components/ui/table';
import { toasts } from '../../components/ui/toast';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDateTime } from '../../lib/format';
import { fileClient } from './file-client';
import { canPreview, fileKind, formatSize } from './format';
import { accessLogQuery, attachmentsQuery } from './queries';
import { ATTACHMENT_POLICY, FileRequestError } from './upload';

interface UploadRow {
  key: number;
  name: string;
  /** 0…1 */
  progress: number;
  status: 'uploading' | 'done' | 'failed';
  error: string | null;
}

const ACCEPT = [
  ...ATTACHMENT_POLICY.mimes,
  '.jpg',
  '.jpeg',
  '.png',
  '.gif',
  '.webp',
  '.heic',
  '.pdf',
  '.doc',
  '.docx',
  '.xls',
  '.xlsx',
].join(',');

function describeFileError(t: Parameters<typeof errorMessage>[0], error: unknown): string {
  const parsed = error instanceof FileRequestError ? error.parsed : parseError(error);
  if (parsed.appCode === 'PAYLOAD_TOO_LARGE')
    return t('attachments.tooLarge', {
      size: formatSize(t, ATTACHMENT_POLICY.maxBytes, currentLocale()),
    });
  return errorMessage(t, parsed);
}

let nextKey = 1;

export function AttachmentsPanel({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const files = useQuery(attachmentsQuery(patientId));
  const [uploads, setUploads] = useState<UploadRow[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [dragging, setDragging] = useState(false);
  const [previewing, setPreviewing] = useState<FileListItem | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const uploadsId = useId();
  const locale = currentLocale();
  const maxSize = formatSize(t, ATTACHMENT_POLICY.maxBytes, locale);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: attachmentsQuery(patientId).queryKey }),
      queryClient.invalidateQueries({ queryKey: accessLogQuery(patientId).queryKey }),
    ]);

  const update = (key: number, patch: Partial<UploadRow>) =>
    setUploads((rows) => rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const uploadAll = async (chosen: File[]) => {
    if (chosen.length === 0) return;
    // A new batch replaces the finished rows of the last one; failures stay until then.
    const rows = chosen.map((file) => ({
      key: nextKey++,
      name: file.name,
      progress: 0,
      status: 'uploading' as const,
      error: null,
    }));
    setUploads(rows);
    for (const [index, file] of chosen.entries()) {
      const row = rows[index]!;
      try {
        await fileClient.upload({
          file,
          patientId,
          onProgress: (progress) => update(row.key, { progress }),
        });
        update(row.key, { status: 'done' });
        setAnnouncement(t('attachments.uploaded', { name: file.name }));
        await refresh();
      } catch (error) {
        const reason = describeFileError(t, error);
        update(row.key, { status: 'failed', error: reason });
        setAnnouncement(t('attachments.uploadFailed', { name: file.name, reason }));
      }
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    void uploadAll([...event.dataTransfer.files]);
  };

  const items = files.data?.items ?? [];

  return (
    <section className="panel" aria-labelledby="attachments-title">
      <h2 id="attachments-title">{t('attachments.title')}</h2>
      <p className="muted">{t('attachments.intro', { size: maxSize })}</p>

      <div
        className={dragging ? 'drop-zone drop-zone--active' : 'drop-zone'}
        role="group"
        aria-label={t('attachments.dropZoneLabel')}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <p className="drop-zone__text" aria-hidden="true">
          {t('attachments.dropZone')} <span className="muted">{t('attachments.or')}</span>
        </p>
        <button type="button" className="button" onClick={() => inputRef.current?.click()}>
          {t('attachments.choose')}
        </button>
        <input
          ref={inputRef}
          type="file"
          multiple
          accept={ACCEPT}
          hidden
          aria-hidden="true"
          tabIndex={-1}
          onChange={(e) => {
            const chosen = [...(e.target.files ?? [])];
            // The same file may be chosen again after a failure.
            e.target.value = '';
            void uploadAll(chosen);
          }}
        />
      </div>

      {uploads.length > 0 && (
        <ul className="uploads" aria-label={t('attachments.uploadsLabel')}>
          {uploads.map((row) => {
            const labelId = `${uploadsId}-${row.key}`;
            const percent = Math.round(row.progress * 100);
            return (
              <li key={row.key} className={`upload upload--${row.status}`}>
                <span id={labelId} className="upload__label">
                  {row.status === 'done'
                    ? t('attachments.uploaded', { name: row.name })
                    : row.status === 'failed'
                      ? t('attachments.uploadFailed', { name: row.name, reason: row.error ?? '' })
                      : t('attachments.uploading', { name: row.name })}
                </span>
                {row.status !== 'failed' && (
                  <span className="upload__bar">
                    <progress max={100} value={percent} aria-labelledby={labelId} />
                    <span className="upload__percent" aria-hidden="true">
                      {percent}%
                    </span>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <p role="status" className="visually-hidden">
        {announcement}
      </p>

      {files.isError && (
        <QueryError
          error={files.error}
          hasData={!!files.data}
          onRetry={() => void files.refetch()}
        />
      )}
      {files.isPending && !files.isError && <p className="muted">{t('a11y.loading')}</p>}
      {files.isSuccess && items.length === 0 && <p>{t('attachments.empty')}</p>}
      {items.length > 0 && (
        <AttachmentTable items={items} onPreview={setPreviewing} onChanged={() => void refresh()} />
      )}
      {previewing && <PreviewDialog file={previewing} onClose={() => setPreviewing(null)} />}
    </section>
  );
}

function AttachmentTable({
  items,
  onPreview,
  onChanged,
}: {
  items: FileListItem[];
  onPreview: (file: FileListItem) => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const remove = useMutation(trpc.file.delete.mutationOptions());
  const [downloading, setDownloading] = useState<string | null>(null);

  const download = async (file: FileListItem) => {
    setDownloading(file.id);
    try {
      const blob = await fileClient.download(file.id, file.mime);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.hidden = true;
      document.body.append(a);
      a.click();
      a.remove();
      // The browser has taken the bytes once the click is handled; give it a moment, then let go.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      onChanged();
    } catch (error) {
      toasts.error(describeFileError(t, error));
    } finally {
      setDownloading(null);
    }
  };

  const onDelete = async (file: FileListItem) => {
    try {
      await remove.mutateAsync({ id: file.id });
      toasts.success(t('attachments.deleted', { name: file.name }));
    } catch (error) {
      toasts.error(errorMessage(t, parseError(error)));
    } finally {
      onChanged();
    }
  };

  return (
    <Table aria-label={t('attachments.listLabel')} className="table patients-table">
      <TableHeader>
        <Column isRowHeader>{t('attachments.name')}</Column>
        <Column>{t('attachments.type')}</Column>
        <Column>{t('attachments.size')}</Column>
        <Column>{t('attachments.uploadedBy')}</Column>
        <Column>{t('attachments.date')}</Column>
        <Column>
          <span className="visually-hidden">{t('attachments.actions')}</span>
        </Column>
      </TableHeader>
      <TableBody items={items}>
        {(file) => {
          const nameId = `file-${file.id}-name`;
          const deleting = remove.isPending && remove.variables?.id === file.id;
          return (
            <Row id={file.id} className="table__row">
              <Cell>
                <span id={nameId} className="attachment__name">
                  {file.name}
                </span>
              </Cell>
              <Cell data-label={t('attachments.type')}>
                {t(`attachments.kind.${fileKind(file.mime)}`)}
              </Cell>
              <Cell data-label={t('attachments.size')}>
                <span className="nowrap">{formatSize(t, file.size, locale)}</span>
              </Cell>
              <Cell data-label={t('attachments.uploadedBy')}>{file.uploadedBy.name}</Cell>
              <Cell data-label={t('attachments.date')}>
                {formatDateTime(file.createdAt, locale)}
              </Cell>
              <Cell>
                <span className="attachment__actions">
                  {canPreview(file.mime) && (
                    <Button
                      className="button button--small"
                      aria-describedby={nameId}
                      onPress={() => onPreview(file)}
                    >
                      {t('attachments.preview')}
                    </Button>
                  )}
                  <Button
                    className="button button--small"
                    aria-describedby={nameId}
                    isDisabled={downloading === file.id}
                    onPress={() => void download(file)}
                  >
                    {downloading === file.id
                      ? t('attachments.downloading')
                      : t('attachments.download')}
                  </Button>
                  <ConfirmDialog
                    trigger={
                      <Button
                        className="button button--small button--danger"
                        aria-describedby={nameId}
                        isDisabled={deleting}
                      >
                        {deleting ? t('attachments.deleting') : t('attachments.delete')}
                      </Button>
                    }
                    title={t('attachments.deleteTitle')}
                    confirmLabel={t('attachments.deleteConfirm')}
                    cancelLabel={t('attachments.cancel')}
                    onConfirm={() => void onDelete(file)}
                  >
                    <p>{t('attachments.deleteBody', { name: file.name })}</p>
                  </ConfirmDialog>
                </span>
              </Cell>
            </Row>
          );
        }}
      </TableBody>
    </Table>
  );
}

/**
 * The file's bytes fetched with the bearer token into a blob: URL (an <img> or <iframe> cannot
 * send the header itself), shown in a modal dialog and revoked when it closes.
 */
function PreviewDialog({ file, onClose }: { file: FileListItem; onClose: () => void }) {
  const { t } = useTranslation();
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fileClient.download(file.id, file.mime, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(describeFileError(t, caught));
      },
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file.id, file.mime, t]);

  const isPdf = fileKind(file.mime) === 'pdf';
  return (
    <ModalOverlay
      className="modal-overlay"
      isDismissable
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      <Modal className="modal modal--wide">
        <Dialog className="dialog preview">
          <Heading slot="title" className="dialog__title">
            {t('attachments.previewTitle', { name: file.name })}
          </Heading>
          <div className="preview__body">
            {error ? (
              <p className="notice notice--error">{error}</p>
            ) : url ? (
              isPdf ? (
                <iframe className="preview__frame" src={url} title={file.name} />
              ) : (
                <img className="preview__image" src={url} alt={file.name} />
              )
            ) : (
              <p role="status">{t('attachments.previewLoading')}</p>
            )}
          </div>
          <div className="dialog__actions">
            <Button className="button" onPress={onClose} autoFocus>
              {t('attachments.close')}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
