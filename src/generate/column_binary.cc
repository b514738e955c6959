// COPY binary for synthetic rows (column_gen.h): ColumnGen::WriteBinary and
// the values of choices and references converted once, ToBinaryValue.
#include "loader/encode/date_text.h"
#include "loader/encode/encoder.h"
#include "loader/generate/column_gen.h"

namespace loader {
namespace {

// A number of `form` (its units) as `binary` writes it.
void WriteNumber(BinaryForm binary, ValueForm form, unsigned scale, int64_t v,
                 CopyBinaryEncoder& enc) {
  const unsigned units_scale = form == ValueForm::kDecimal ? scale : 0;
  switch (binary) {
    case BinaryForm::kInt2:
      return enc.Int2(v);
    case BinaryForm::kInt4:
      return enc.Int4(v);
    case BinaryForm::kInt8:
      return enc.Int8(v);
    case BinaryForm::kFloat4:
      return enc.Float4(v, units_scale);
    case BinaryForm::kFloat8:
      return enc.Decimal(v, units_scale);
    case BinaryForm::kNumeric:
      return enc.Numeric(v, units_scale);
    case BinaryForm::kDate:
      return enc.Int4(v - kPostgresEpochDays);
    case BinaryForm::kTime:
      return enc.Int8(v * 1000000);
    case BinaryForm::kTimestamp:
      return enc.Int8((v - kPostgresEpochSeconds) * 1000000);
    case BinaryForm::kInterval:
      return enc.Interval(v * 1000000);
    default:
      return enc.Null();  // never: CompileSeedTable pairs number forms with these
  }
}

bool IsNumberBinary(BinaryForm binary) {
  return binary != BinaryForm::kNone && binary != BinaryForm::kBool &&
         binary != BinaryForm::kText && binary != BinaryForm::kJsonb && binary != BinaryForm::kUuid;
}

bool ParseUuid(std::string_view text, std::string* out) {
  out->clear();
  int high = -1;
  for (char c : text) {
    if (c == '-') continue;
    const int v = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (v < 0) return false;
    if (high < 0) {
      high = v;
    } else {
      out->push_back(static_cast<char>(high << 4 | v));
      high = -1;
    }
  }
  return out->size() == 16 && high < 0;
}

}  // namespace

void ColumnGen::WriteBinary(uint64_t row, char* scratch, CopyBinaryEncoder& enc) const {
  RowRandom rnd(key, row);
  if (null_below != 0 && rnd.Next() < null_below) return enc.Null();
  // The same draws, in the same order, as Write's: the same values.
  switch (form) {
    case ValueForm::kNull:
      return enc.Null();
    case ValueForm::kChoice:
      return enc.Text(binary_values[Choose(row, rnd)]);
    case ValueForm::kConstant:
      return enc.Text(binary_values[0]);
    case ValueForm::kReference:
      return enc.Text(binary_values[ReferenceRow(row)]);
    case ValueForm::kUuid: {
      UuidBytes id;
      AccountsGenerator::MakeId(rnd, id);
      return enc.Uuid(id);
    }
    case ValueForm::kJson: {
      const std::string_view v = Format(row, rnd, scratch);
      return binary == BinaryForm::kJsonb ? enc.Jsonb(v) : enc.Text(v);
    }
    default:
      if (IsNumberForm(form)) return WriteNumber(binary, form, scale, Number(row, rnd), enc);
      return enc.Text(Format(row, rnd, scratch));
  }
}

bool ToBinaryValue(BinaryForm binary, ValueForm form, unsigned scale, std::string_view text,
                   std::string* out) {
  switch (binary) {
    case BinaryForm::kNone:
      return false;
    case BinaryForm::kText:
      *out = text;
      return true;
    case BinaryForm::kJsonb:
      *out = "\x01" + std::string(text);
      return true;
    case BinaryForm::kUuid:
      return ParseUuid(text, out);
    case BinaryForm::kBool: {
      std::string word;
      for (char c : text) word += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      const bool yes = word == "t" || word == "true" || word == "y" || word == "yes" ||
                       word == "on" || word == "1";
      const bool no = word == "f" || word == "false" || word == "n" || word == "no" ||
                      word == "off" || word == "0";
      *out = std::string(1, yes ? '\x01' : '\x00');
      return yes || no;
    }
    default: {
      // Only a value the type holds exactly: one that falls between units
      // would round differently from the server's parse of its text.
      int64_t floor = 0, ceil = 0;
      if (!IsNumberForm(form) || !ParseUnits(form, scale, text, false, &floor) ||
          !ParseUnits(form, scale, text, true, &ceil) || floor != ceil) {
        return false;
      }
      ByteBuffer buffer;
      CopyBinaryEncoder enc(&buffer);
      WriteNumber(binary, form, scale, floor, enc);
      *out = std::string(buffer.view().substr(2 + 4));  // after the field count and length
      return IsNumberBinary(binary);
    }
  }
}

}  // namespace loader
