namespace LstPipe.Dataset.Parquet;

/// <summary>One top-level column of a file: name, physical type of its values, shape, and whether byte arrays are
/// UTF-8 strings.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Physical type of the leaf values.</param>
/// <param name="Shape">Required, optional, or a list.</param>
/// <param name="IsString">Annotate a BYTE_ARRAY as a UTF-8 STRING.</param>
public sealed record ColumnSpec(string Name, PhysicalType Type, ColumnShape Shape = ColumnShape.Required, bool IsString = false)
{
    /// <summary>Highest definition level of the leaf.</summary>
    public int MaxDefinitionLevel => Shape == ColumnShape.Required ? 0 : 1;

    /// <summary>Highest repetition level of the leaf.</summary>
    public int MaxRepetitionLevel => Shape == ColumnShape.List ? 1 : 0;

    /// <summary>The leaf's path in the schema.</summary>
    public IReadOnlyList<string> Path => Shape == ColumnShape.List ? [Name, "list", "element"] : [Name];

    /// <summary>A required UTF-8 string column.</summary>
    public static ColumnSpec String(string name) => new(name, PhysicalType.ByteArray, IsString: true);

    /// <summary>A list-of-float column.</summary>
    public static ColumnSpec FloatList(string name) => new(name, PhysicalType.Float, ColumnShape.List);
}

/// <summary>The values of one column for a batch of rows: an array whose element type follows the column
/// (<c>int?</c> for optional INT32, <c>float[]</c> per row for lists, <c>string</c> for strings).</summary>
/// <param name="Spec">The column.</param>
/// <param name="Values">One entry per row.</param>
public sealed record ColumnValues(ColumnSpec Spec, Array Values);
