/**
 * A document's first page, small: its thumbnail blob (made at import, JPEG for every format). Pages imported
 * before thumbnails existed show the page image scaled down (lazy-loaded); if the browser cannot show that
 * (PDF, TIFF) an icon.
 */
import { FileImageOutlined } from '@ant-design/icons';
import { useEffect, useState } from 'react';
import { useApp } from '../context';

interface FirstPage {
  blobHash: string;
  rotation: number;
}

export function Thumbnail({ documentId, version, alt }: { documentId: number; version: number; alt: string }) {
  const { platform } = useApp();
  const [page, setPage] = useState<FirstPage | null>(null);
  const [unshowable, setUnshowable] = useState(false);

  useEffect(() => {
    let cancelled = false;
    platform.client.call('documents:get', { ref: documentId }).then(
      (detail) => {
        const first = detail.pages[0];
        if (!cancelled) setPage(first ? { blobHash: first.thumbnailHash ?? first.blobHash, rotation: first.rotation } : null);
      },
      () => !cancelled && setPage(null),
    );
    return () => {
      cancelled = true;
    };
  }, [platform, documentId, version]);

  return (
    <div className="inbox-thumb">
      {page && !unshowable ? (
        <img
          src={platform.pageImageUrl(page.blobHash)}
          alt={alt}
          loading="lazy"
          style={{ transform: `rotate(${page.rotation}deg)` }}
          onError={() => setUnshowable(true)}
        />
      ) : (
        <FileImageOutlined />
      )}
    </div>
  );
}
