/** The console's lists: an empty-state sentence, or a table with these column headings. */
export function AdminTable(props: { testId: string; columns: string[]; isEmpty: boolean; empty: string; children: React.ReactNode }) {
  if (props.isEmpty) return <p className="text-zinc-500">{props.empty}</p>;
  return (
    <table className="w-full text-left text-sm" data-testid={props.testId}>
      <thead className="text-xs uppercase text-zinc-500">
        <tr>
          {props.columns.map((column, i) => (
            // Cells pad their right side; headings do too, or neighbouring headings run together.
            <th key={`${column}-${i}`} scope="col" className="whitespace-nowrap py-2 pr-3 font-medium">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** A row of one of those tables. */
export const adminRowClass = 'border-t border-zinc-200 dark:border-zinc-800';
