import '../../lib/csp';
import {
  Cell as AriaCell,
  Column as AriaColumn,
  Row as AriaRow,
  Table as AriaTable,
  TableBody as AriaTableBody,
  TableHeader as AriaTableHeader,
  type CellProps,
  type ColumnProps,
  type RowProps,
  type TableBodyProps,
  type TableHeaderProps,
  type TableProps,
} from 'react-aria-components';

/**
 * A data table with keyboard navigation between cells (arrow keys) and real header semantics.
 * On narrow screens styles.css stacks each row as a card, each cell labelled by its column.
 */
export function Table(props: TableProps) {
  return <AriaTable className="table" {...props} />;
}

export function TableHeader<T extends object>(props: TableHeaderProps<T>) {
  return <AriaTableHeader className="table__header" {...props} />;
}

export function Column(props: ColumnProps) {
  return <AriaColumn className="table__column" {...props} />;
}

export function TableBody<T extends object>(props: TableBodyProps<T>) {
  return <AriaTableBody className="table__body" {...props} />;
}

export function Row<T extends object>(props: RowProps<T>) {
  return <AriaRow className="table__row" {...props} />;
}

export function Cell(props: CellProps & { 'data-label'?: string }) {
  return <AriaCell className="table__cell" {...props} />;
}
