// An exported PDF (minutes, a subject access pack) shown before it is saved, with react-pdf (PDF.js). Loaded on demand so PDF.js stays out
// of the app's first bundle. Under the app's CSP: the PDF.js worker is a file of our own build (served
// from 'self', which is all worker-src falls back to), the file is handed over as bytes (no fetch, no
// blob: URL), fonts are embedded in our PDFs (no standard-font or CMap fetch), and PDF.js 6 has no eval
// path left to switch off: its `isEvalSupported` option went with the PostScript function compiler that
// used `new Function` (test/shell/pdf-preview-csp.test.ts checks the shipped build holds neither eval nor
// new Function). WebAssembly, which the CSP would refuse (no 'wasm-unsafe-eval'), is switched off.
import { useMemo, useState } from 'react';
import { Document, Page, pdfjs, type DocumentProps } from 'react-pdf';
import 'react-pdf/dist/Page/TextLayer.css';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { Button } from './Button.js';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

const PAGE_WIDTH = 640;

/** Nothing fetched and nothing compiled at run time: the file is given as bytes and carries its fonts. */
const PDF_OPTIONS: DocumentProps['options'] = { useWasm: false, useWorkerFetch: false, enableXfa: false };

export default function PdfPreview({ bytes, title }: { bytes: Uint8Array<ArrayBuffer>; title: string }) {
  // PDF.js moves the buffer it is given to its worker; it gets a copy, so the bytes stay whole for saving.
  const file = useMemo(() => ({ data: bytes.slice() }), [bytes]);
  const [pages, setPages] = useState<number | null>(null);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState<string | null>(null);

  if (failed) {
    return (
      <p className="govuk-error-message" role="alert">
        The preview could not be shown ({failed}). The file can still be saved.
      </p>
    );
  }
  return (
    <div className="app-pdf-preview">
      <div className="app-pdf-preview__nav">
        <Button
          variant="secondary"
          className="app-button--small"
          id="preview-previous"
          onClick={() => setPage((p) => Math.max(1, p - 1))}
          disabled={page <= 1}
        >
          Previous page
        </Button>
        <p className="govuk-body govuk-!-margin-0" role="status" data-testid="preview-page">
          {pages === null ? 'Loading the preview…' : `Page ${page} of ${pages}`}
        </p>
        <Button
          variant="secondary"
          className="app-button--small"
          id="preview-next"
          onClick={() => setPage((p) => Math.min(pages ?? 1, p + 1))}
          disabled={pages === null || page >= pages}
        >
          Next page
        </Button>
      </div>
      <div className="app-pdf-preview__page" role="document" aria-label={`${title}, page ${page}`} tabIndex={0}>
        <Document
          file={file}
          options={PDF_OPTIONS}
          suspense={false}
          loading=""
          onLoadSuccess={(doc) => setPages(doc.numPages)}
          onLoadError={(error) => setFailed(error.message)}
        >
          <Page
            pageNumber={page}
            width={PAGE_WIDTH}
            suspense={false}
            loading=""
            renderAnnotationLayer={false}
            onRenderError={(error) => setFailed(error.message)}
          />
        </Document>
      </div>
    </div>
  );
}
