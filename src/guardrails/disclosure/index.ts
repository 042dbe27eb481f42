/** Disclosure control for aggregate data: cell-size suppression and a small-count text check. */
export { suppressSmallCells, isCountFieldName, DEFAULT_MIN, DEFAULT_MAX } from './small-cells.js';
export type { Row, SuppressOptions, SuppressReason, SuppressedCell, SuppressResult } from './small-cells.js';
export { findSmallCounts, smallCountDetector, SMALL_CELL, SMALL_CELL_DETECTOR_ID, SMALL_COUNT_REGEXES } from './small-counts.js';
export type { SmallCountOptions } from './small-counts.js';
