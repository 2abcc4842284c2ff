using System.Globalization;
using LstPipe.Core.Errors;

namespace LstPipe.Ingest.Expressions;

/// <summary>
/// A per-pixel arithmetic expression over named bands, for example <c>(nir - red) / (nir + red)</c>: numbers, band
/// names, <c>+ - * /</c>, unary minus, parentheses and the functions <c>abs</c>, <c>sqrt</c>, <c>min</c>, <c>max</c>.
/// Nodata (NaN) propagates; a division whose denominator is within 1e-12 of zero gives nodata, not infinity.
/// </summary>
public sealed class BandExpression
{
    private readonly Node _root;

    private BandExpression(string text, Node root, IReadOnlyList<string> names)
    {
        Text = text;
        _root = root;
        Names = names;
    }

    /// <summary>The source text.</summary>
    public string Text { get; }

    /// <summary>The band names the expression reads, in order of first use.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Parses an expression.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="where">Where it came from (<c>recipe.yaml:12</c>), for error messages.</param>
    /// <exception cref="UsageException">The syntax is wrong.</exception>
    public static BandExpression Parse(string text, string where)
    {
        var parser = new Parser(text, where);
        var root = parser.ParseAll();
        return new BandExpression(text, root, parser.Names);
    }

    /// <summary>Checks that every name is one of <paramref name="known"/>.</summary>
    /// <exception cref="UsageException">An unknown name, listed with the known ones.</exception>
    public void RequireNames(IEnumerable<string> known, string where)
    {
        var set = known.ToHashSet(StringComparer.Ordinal);
        foreach (var n in Names)
        {
            if (!set.Contains(n))
            {
                throw new UsageException($"{where}: unknown band '{n}' in '{Text}'; the recipe's bands are: " +
                    $"{string.Join(", ", set.Order(StringComparer.Ordinal))}");
            }
        }
    }

    /// <summary>Evaluates the expression for <paramref name="output"/>.Length pixels.</summary>
    /// <param name="bands">Band values by name (NaN is nodata), each at least as long as the output.</param>
    /// <param name="output">Receives the result.</param>
    public void Evaluate(IReadOnlyDictionary<string, float[]> bands, Span<float> output)
    {
        var n = output.Length;
        var pool = new Stack<float[]>();
        var result = _root.Eval(bands, n, pool);
        result.AsSpan(0, n).CopyTo(output);
    }

    private abstract class Node
    {
        public abstract float[] Eval(IReadOnlyDictionary<string, float[]> bands, int n, Stack<float[]> pool);

        protected static float[] Rent(Stack<float[]> pool, int n) => pool.Count > 0 && pool.Peek().Length >= n ? pool.Pop() : new float[n];
    }

    private sealed class Constant(float value) : Node
    {
        public override float[] Eval(IReadOnlyDictionary<string, float[]> bands, int n, Stack<float[]> pool)
        {
            var r = Rent(pool, n);
            r.AsSpan(0, n).Fill(value);
            return r;
        }
    }

    private sealed class Band(string name) : Node
    {
        public override float[] Eval(IReadOnlyDictionary<string, float[]> bands, int n, Stack<float[]> pool)
        {
            var r = Rent(pool, n);
            bands[name].AsSpan(0, n).CopyTo(r);
            return r;
        }
    }

    private sealed class Unary(string op, Node operand) : Node
    {
        public override float[] Eval(IReadOnlyDictionary<string, float[]> bands, int n, Stack<float[]> pool)
        {
            var a = operand.Eval(bands, n, pool);
            for (var i = 0; i < n; i++)
            {
                a[i] = op switch
                {
                    "-" => -a[i],
                    "abs" => MathF.Abs(a[i]),
                    "sqrt" => a[i] >= 0 ? MathF.Sqrt(a[i]) : float.NaN,
                    _ => throw new InvalidOperationException(op),
                };
            }

            return a;
        }
    }

    private sealed class Binary(char op, Node left, Node right) : Node
    {
        public override float[] Eval(IReadOnlyDictionary<string, float[]> bands, int n, Stack<float[]> pool)
        {
            var a = left.Eval(bands, n, pool);
            var b = right.Eval(bands, n, pool);
            for (var i = 0; i < n; i++)
            {
                float x = a[i], y = b[i];
                a[i] = op switch
                {
                    '+' => x + y,
                    '-' => x - y,
                    '*' => x * y,
                    '/' => MathF.Abs(y) < 1e-12f ? float.NaN : x / y,
                    '<' => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : MathF.Min(x, y),
                    '>' => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : MathF.Max(x, y),
                    _ => throw new InvalidOperationException(op.ToString()),
                };
            }

            pool.Push(b);
            return a;
        }
    }

    private sealed class Parser(string text, string where)
    {
        private int _pos;

        public List<string> Names { get; } = [];

        public Node ParseAll()
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Error("the expression is empty");
            }

            var node = ParseSum();
            SkipSpace();
            if (_pos < text.Length)
            {
                throw Error($"'{text[_pos]}' where the expression should end");
            }

            return node;
        }

        private Node ParseSum() => ParseLeftAssociative(ParseProduct, '+', '-');

        private Node ParseProduct() => ParseLeftAssociative(ParseUnary, '*', '/');

        private Node ParseLeftAssociative(Func<Node> operand, char op1, char op2)
        {
            var left = operand();
            while (true)
            {
                SkipSpace();
                if (_pos < text.Length && (text[_pos] == op1 || text[_pos] == op2))
                {
                    var op = text[_pos++];
                    left = new Binary(op, left, operand());
                }
                else
                {
                    return left;
                }
            }
        }

        private Node ParseUnary()
        {
            SkipSpace();
            if (_pos < text.Length && text[_pos] == '-')
            {
                _pos++;
                return new Unary("-", ParseUnary());
            }

            if (_pos < text.Length && text[_pos] == '+')
            {
                _pos++;
                return ParseUnary();
            }

            return ParseAtom();
        }

        private Node ParseAtom()
        {
            SkipSpace();
            if (_pos >= text.Length)
            {
                throw Error("the expression ends where a value was expected");
            }

            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var inner = ParseSum();
                Expect(')');
                return inner;
            }

            if (char.IsDigit(c) || c == '.')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == '.'))
                {
                    _pos++;
                }

                if (_pos < text.Length && text[_pos] is 'e' or 'E')
                {
                    _pos++;
                    if (_pos < text.Length && text[_pos] is '+' or '-')
                    {
                        _pos++;
                    }

                    while (_pos < text.Length && char.IsDigit(text[_pos]))
                    {
                        _pos++;
                    }
                }

                var literal = text[start.._pos];
                return double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
                    ? new Constant((float)v)
                    : throw Error($"'{literal}' is not a number");
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = _pos;
                while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_'))
                {
                    _pos++;
                }

                var name = text[start.._pos];
                SkipSpace();
                if (_pos < text.Length && text[_pos] == '(')
                {
                    _pos++;
                    return Function(name);
                }

                if (!Names.Contains(name))
                {
                    Names.Add(name);
                }

                return new Band(name);
            }

            throw Error($"'{c}' where a value should be");
        }

        private Node Function(string name)
        {
            var args = new List<Node> { ParseSum() };
            SkipSpace();
            while (_pos < text.Length && text[_pos] == ',')
            {
                _pos++;
                args.Add(ParseSum());
                SkipSpace();
            }

            Expect(')');
            return (name, args.Count) switch
            {
                ("abs" or "sqrt", 1) => new Unary(name, args[0]),
                ("min", 2) => new Binary('<', args[0], args[1]),
                ("max", 2) => new Binary('>', args[0], args[1]),
                ("abs" or "sqrt" or "min" or "max", _) => throw Error($"{name}() takes {(name is "min" or "max" ? 2 : 1)} " +
                    $"argument(s), not {args.Count}"),
                _ => throw Error($"unknown function '{name}' (known: abs, sqrt, min, max)"),
            };
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (_pos >= text.Length || text[_pos] != c)
            {
                throw Error(_pos >= text.Length ? $"missing '{c}'" : $"expected '{c}' but found '{text[_pos]}'");
            }

            _pos++;
        }

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private UsageException Error(string what) =>
            new($"{where}: bad expression '{text}': {what} (at character {_pos + 1})");
    }
}
