namespace LstPipe.Parquet.Thrift;

/// <summary>A Thrift struct as a list of (field id, value) pairs in ascending id order. Values are <see cref="bool"/>,
/// <see cref="sbyte"/>, <see cref="short"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="byte"/>[] (binary and string), <see cref="ThriftList"/> or <see cref="ThriftStruct"/>.</summary>
internal sealed class ThriftStruct
{
    private readonly List<(short Id, object Value)> _fields = [];

    public IReadOnlyList<(short Id, object Value)> Fields => _fields;

    /// <summary>Adds a field; ids must ascend.</summary>
    public ThriftStruct Set(short id, object? value)
    {
        if (value is null)
        {
            return this;
        }

        if (_fields.Count > 0 && _fields[^1].Id >= id)
        {
            throw new InvalidOperationException($"thrift field {id} added after {_fields[^1].Id}");
        }

        _fields.Add((id, value is string s ? System.Text.Encoding.UTF8.GetBytes(s) : value));
        return this;
    }

    internal void AddRead(short id, object value) => _fields.Add((id, value));

    public object? Get(short id)
    {
        foreach (var (i, v) in _fields)
        {
            if (i == id)
            {
                return v;
            }
        }

        return null;
    }

    public object Required(short id, string what) => Get(id) ?? throw new FormatException($"{what}: required field {id} is missing");

    public int Int(short id, string what) => Convert.ToInt32(Required(id, what), System.Globalization.CultureInfo.InvariantCulture);

    public long Long(short id, string what) => Convert.ToInt64(Required(id, what), System.Globalization.CultureInfo.InvariantCulture);

    public int? OptionalInt(short id) => Get(id) is { } v ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string String(short id, string what) => System.Text.Encoding.UTF8.GetString((byte[])Required(id, what));

    public string? OptionalString(short id) => Get(id) is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : null;

    public ThriftStruct Struct(short id, string what) => Required(id, what) as ThriftStruct ?? throw new FormatException($"{what}: field {id} is not a struct");

    public ThriftStruct? OptionalStruct(short id) => Get(id) as ThriftStruct;

    public IReadOnlyList<object> List(short id, string what) => (Required(id, what) as ThriftList ?? throw new FormatException($"{what}: field {id} is not a list")).Items;
}

/// <summary>A Thrift list with its element type.</summary>
/// <param name="ElementType">Compact-protocol type code of the elements.</param>
/// <param name="Items">The elements.</param>
internal sealed record ThriftList(byte ElementType, IReadOnlyList<object> Items)
{
    public static ThriftList OfStructs(IEnumerable<ThriftStruct> items) => new(CompactProtocol.Struct, items.Cast<object>().ToList());

    public static ThriftList OfInts(IEnumerable<int> items) => new(CompactProtocol.I32, items.Cast<object>().ToList());

    public static ThriftList OfStrings(IEnumerable<string> items) =>
        new(CompactProtocol.Binary, items.Select(s => (object)System.Text.Encoding.UTF8.GetBytes(s)).ToList());
}
