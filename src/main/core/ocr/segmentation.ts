/** Tesseract page segmentation mode 4 (one column of lines of varying size) suits slips and receipts. */
export const DEFAULT_PAGE_SEGMENTATION = 4;
