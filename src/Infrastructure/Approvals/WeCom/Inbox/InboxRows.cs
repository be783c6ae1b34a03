using System.Data.Common;
using System.Text;
using CrmIntegration.Domain.Approvals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace CrmIntegration.Infrastructure.Approvals.WeCom.Inbox;

/// <summary>
/// A parameterised multi-row <c>INSERT INTO wecom_inbox</c> built from the EF model, so column names, quoting and value
/// conversions (SQLite's DateTimeOffset ticks, enum strings, Guids) are exactly what <c>SaveChanges</c> would send, on
/// either provider, without the change tracker. Runs through <see cref="RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(DatabaseFacade, string, IEnumerable{object}, CancellationToken)"/>:
/// the context's connection, transaction and interceptors.
/// </summary>
internal sealed class InboxRows
{
    /// <summary>Parameters per statement: under SQL Server's 2,100 (SQLite allows 32,766).</summary>
    public const int MaxParameters = 2000;

    private readonly IProperty[] _columns;
    private readonly string _prefix;
    private readonly string _eventKeyColumn;
    private readonly ISqlGenerationHelper _sql;

    private InboxRows(IProperty[] columns, string prefix, string eventKeyColumn, ISqlGenerationHelper sql)
    {
        _columns = columns;
        _prefix = prefix;
        _eventKeyColumn = eventKeyColumn;
        _sql = sql;
    }

    public static InboxRows For(DbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(InboxMessage)) ?? throw new InvalidOperationException("InboxMessage is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).ToArray();
        var prefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ("
                     + string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!))) + ") VALUES ";
        var eventKey = sql.DelimitIdentifier(entity.FindProperty(nameof(InboxMessage.EventKey))!.GetColumnName(table)!);
        return new InboxRows(columns, prefix, eventKey, sql);
    }

    public int ColumnCount => _columns.Length;

    /// <summary>Rows per statement, so that one statement stays under <see cref="MaxParameters"/> (133 with the 15 columns of today).</summary>
    public int RowsPerStatement => MaxParameters / _columns.Length;

    /// <summary>Inserts <paramref name="rows"/> (in statements of at most <see cref="RowsPerStatement"/>) in the caller's transaction.</summary>
    public async Task InsertAsync(DbContext db, IReadOnlyList<InboxMessage> rows, CancellationToken ct)
    {
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var (text, parameters) = Build(db, rows, start, Math.Min(RowsPerStatement, rows.Count - start));
            await db.Database.ExecuteSqlRawAsync(text, parameters, ct);
        }
    }

    /// <summary>
    /// SQLite's one-row insert that skips an event key stored before (or earlier in the same batch) instead of failing:
    /// it changes 1 row when it stored the callback, 0 for a duplicate. Parameters as <see cref="Bind"/> sets them.
    /// </summary>
    public string SqliteInsertUnlessStored =>
        _prefix + "(" + string.Join(", ", _columns.Select((_, c) => _sql.GenerateParameterNamePlaceholder(ParameterName(c)))) + ")"
        + $" ON CONFLICT ({_eventKeyColumn}) DO NOTHING";

    /// <summary>Sets <paramref name="command"/>'s parameters to <paramref name="row"/>'s values, converted as SaveChanges would.</summary>
    public void Bind(DbCommand command, InboxMessage row)
    {
        command.Parameters.Clear();
        for (var c = 0; c < _columns.Length; c++)
        {
            var column = _columns[c];
            command.Parameters.Add(column.GetRelationalTypeMapping()
                .CreateParameter(command, _sql.GenerateParameterName(ParameterName(c)), ValueOf(column, row), column.IsNullable));
        }
    }

    /// <summary>The statement and its parameters for <paramref name="count"/> rows from <paramref name="start"/> (also for tests).</summary>
    public (string Text, DbParameter[] Parameters) Build(DbContext db, IReadOnlyList<InboxMessage> rows, int start, int count)
    {
        using var factory = db.Database.GetDbConnection().CreateCommand(); // creates parameters only; never executed
        var parameters = new DbParameter[count * _columns.Length];
        var text = new StringBuilder(_prefix, _prefix.Length + (count * _columns.Length * 8));
        for (var r = 0; r < count; r++)
        {
            var row = rows[start + r];
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                var index = (r * _columns.Length) + c;
                var name = ParameterName(index);
                var column = _columns[c];
                if (c > 0)
                {
                    text.Append(", ");
                }

                text.Append(_sql.GenerateParameterNamePlaceholder(name));
                parameters[index] = column.GetRelationalTypeMapping()
                    .CreateParameter(factory, _sql.GenerateParameterName(name), ValueOf(column, row), column.IsNullable);
            }

            text.Append(')');
        }

        return (text.ToString(), parameters);
    }

    private static string ParameterName(int index) => "p" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // A new row's lease columns (shadow properties) are empty: it is due at once and nobody holds it.
    private static object? ValueOf(IProperty column, InboxMessage row) =>
        column.IsShadowProperty()
            ? column.ClrType.IsValueType && Nullable.GetUnderlyingType(column.ClrType) is null ? Activator.CreateInstance(column.ClrType) : null
            : column.GetGetter().GetClrValueUsingContainingEntity(row);
}
