// The table assembly (include/seprank/assembly/table_assembly.hpp): a static plan, built once
// from the CompiledNetwork's window lists and weights, then run block by block by each thread.
//
// Plan. Digits are the varying positions in the odometer's order (vary_I, then vary_J; digit 0
// most significant). The first f digits are fixed per block, the others are free. Every unit
// gets the set of free digits its receptive field holds (a bit mask) and a program:
//  * its children's tables: layer 1 reads the tabulated W·F[d] (CompiledNetwork's first-layer
//    factors: a table over the position's digit when it is free, one row when it is fixed, at
//    the fixed template or the block's digit); a GC layer above applies W_{u,k} to the child's
//    table (a transform), a pool layer reads the child's table as it is;
//  * the entrywise product of those tables, two at a time, each product over the union of its
//    operands' digits (greedy: the pair whose union is smallest first), the last one into the
//    unit's own table;
//  * the top unit adds the readout (a table over no digit) to its operands and ends with a
//    dot product over the channels of the last two, written for the whole block.
// A unit with one child and no weights takes its child's table as its own; one with no input
// (impossible with the model's padding, handled anyway) the table of ones.
//
// Run. A thread owns a contiguous range of blocks, keeps every unit's table from one block to
// the next, and recomputes a unit only when one of the fixed digits it depends on changed.
#include "seprank/assembly/table_assembly.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <stdexcept>
#include <thread>
#include <type_traits>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

#include "seprank/assembly/grid_evaluator.hpp"
#include "seprank/assembly/rings.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/support/progress.hpp"
#include "table_kernels.hpp"

namespace seprank {

namespace {

namespace tk = table_kernels;
using Mask = std::uint64_t;
using u64 = std::uint64_t;

constexpr u64 size_cap = u64{1} << 62;  // sizes saturate here (such a plan is never chosen)
constexpr std::size_t double_prime_limit = std::size_t{1} << 26;

u64 sat_mul(u64 a, u64 b) { return (a != 0 && b > size_cap / a) ? size_cap : a * b; }
u64 sat_pow(u64 m, int e) {
  u64 r = 1;
  for (int i = 0; i < e; ++i) r = sat_mul(r, m);
  return r;
}

// Where an operand lives: a thread's scratch or retained arena, or the shared constants.
enum class Where : std::uint8_t { scratch, retained, constant };

struct Operand {
  Where where = Where::constant;
  u64 offset = 0;        // in its arena (elements)
  u64 channel_stride = 1;
  int digit = -1;        // >= 0: add the current value of this fixed digit to the offset
};

enum class OpKind : std::uint8_t { transform, merge, dot };

struct Op {
  OpKind kind;
  Operand a, b;   // transform: a = source; merge, dot: the two factors
  Operand dst;    // transform, merge
  int channels = 0;
  int in_channels = 0;       // transform
  u64 matrix_offset = 0;     // transform: into the shared weights (elements)
  u64 length = 0;            // transform: the table's entries per channel
  u64 loop = 0;              // merge, dot: where its loop starts in Plan::loop_data
};

struct UnitProgram {
  int layer = 0;
  Mask depends = 0;  // the fixed digits its receptive field holds
  std::vector<Op> ops;
};

struct Plan {
  int digits = 0;
  int fixed = 0;
  u64 m = 2;
  u64 block_entries = 1;
  std::vector<UnitProgram> units;  // needed units with work, in layer order; the top last
  // The loops of merges and dot products, one after the other: runs, then the runs' counts,
  // A steps and B steps (table_kernels::RunLoop).
  std::vector<u64> loop_data;
  tk::RunLoop loop(u64 at) const {
    tk::RunLoop l;
    l.runs = static_cast<int>(loop_data[at]);
    l.count = loop_data.data() + at + 1;
    l.step_a = l.count + l.runs;
    l.step_b = l.step_a + l.runs;
    return l;
  }
  u64 retained_size = 0;  // elements
  u64 scratch_size = 0;   // elements
  bool saturated = false;  // some size reached size_cap: not runnable
  double bytes(std::size_t element_bytes, bool doubles) const {
    // staging: the output words, and for doubles the accumulator
    const double staging = static_cast<double>(block_entries) * (8.0 + (doubles ? 8.0 : 0.0));
    return (static_cast<double>(retained_size) + static_cast<double>(scratch_size)) *
               static_cast<double>(element_bytes) +
           staging;
  }
};

// What the planner needs to know about the network, independent of f.
struct Shape {
  int digits = 0;
  u64 m = 2;
  std::vector<int> digit_of_position;  // -1 for fixed positions
  std::vector<int> template_of_position;  // fixed positions' templates
  // Per layer, per unit: the digits (all of them, fixed or free) its receptive field holds.
  std::vector<std::vector<Mask>> masks;
  std::vector<std::vector<char>> needed;
  // Offsets into the shared constants.
  u64 leaf_offset = 0;     // first-layer factors: matrix-major, then channel, then template
  u64 readout_offset = 0;  // C_L values
  u64 ones_offset = 0;     // max channels values
  std::vector<u64> weights_offset;  // per layer >= 1: its matrices, each C_l x C_{l-1}
};

Shape make_shape(const PreparedNetwork& net, const CompiledNetwork<NmodRing>& compiled) {
  Shape s;
  const Partition& part = net.partition;
  s.m = static_cast<u64>(net.arch.templates);
  const auto positions = static_cast<std::size_t>(net.arch.positions());
  s.digit_of_position.assign(positions, -1);
  s.template_of_position = part.fixed_templates;
  s.template_of_position.resize(positions, 0);
  if (s.m > 1) {  // with one template every digit is 0: nothing varies
    int t = 0;
    for (int p : part.vary_I) s.digit_of_position[static_cast<std::size_t>(p)] = t++;
    for (int p : part.vary_J) s.digit_of_position[static_cast<std::size_t>(p)] = t++;
    s.digits = t;
  } else {
    for (int p : part.vary_I) s.template_of_position[static_cast<std::size_t>(p)] = 0;
    for (int p : part.vary_J) s.template_of_position[static_cast<std::size_t>(p)] = 0;
  }
  if (s.digits > 63) throw std::logic_error("table assembly: more than 63 varying digits");
  const std::vector<LayerGeometry>& geometry = compiled.geometry();
  std::vector<Mask> below(positions, 0);
  for (std::size_t p = 0; p < positions; ++p)
    if (s.digit_of_position[p] >= 0) below[p] = Mask{1} << s.digit_of_position[p];
  for (std::size_t l = 0; l < geometry.size(); ++l) {
    std::vector<Mask> masks(static_cast<std::size_t>(geometry[l].units()), 0);
    for (int u = 0; u < geometry[l].units(); ++u)
      for (const auto* in = compiled.inputs_begin(l, u); in != compiled.inputs_end(l, u); ++in)
        masks[static_cast<std::size_t>(u)] |= below[static_cast<std::size_t>(in->position)];
    s.masks.push_back(masks);
    below = std::move(masks);
  }
  s.weights_offset.assign(geometry.size(), 0);  // set by make_constants
  // Units the top reads, directly or not (valid padding can leave some unread).
  s.needed.resize(geometry.size());
  for (std::size_t l = 0; l < geometry.size(); ++l) s.needed[l].assign(static_cast<std::size_t>(geometry[l].units()), 0);
  s.needed.back()[0] = 1;
  for (std::size_t l = geometry.size(); l-- > 1;)
    for (int u = 0; u < geometry[l].units(); ++u)
      if (s.needed[l][static_cast<std::size_t>(u)])
        for (const auto* in = compiled.inputs_begin(l, u); in != compiled.inputs_end(l, u); ++in)
          s.needed[l - 1][static_cast<std::size_t>(in->position)] = 1;
  return s;
}

// Appends to `data` the loop over the output set `out` (digits, increasing = less significant)
// reading A over `a` and B over `b`, both subsets of `out`; returns where it starts.
u64 make_loop(std::vector<u64>& data, Mask a, Mask b, Mask out, int digits, u64 m) {
  u64 count[tk::max_runs], step_a[tk::max_runs], step_b[tk::max_runs];
  int runs = 0;
  u64 stride_a = 1, stride_b = 1;
  int kind = -1;
  for (int t = digits - 1; t >= 0; --t) {
    if (!((out >> t) & 1)) continue;
    const bool in_a = (a >> t) & 1, in_b = (b >> t) & 1;
    const int k = (in_a ? 1 : 0) | (in_b ? 2 : 0);
    if (k == kind) {
      count[runs - 1] *= m;
    } else {
      if (runs == tk::max_runs) throw std::logic_error("table assembly: too many runs");
      count[runs] = m;
      step_a[runs] = in_a ? stride_a : 0;
      step_b[runs] = in_b ? stride_b : 0;
      ++runs;
      kind = k;
    }
    if (in_a) stride_a *= m;
    if (in_b) stride_b *= m;
  }
  if (runs == 0) {  // no digit: one entry
    count[0] = 1;
    step_a[0] = step_b[0] = 0;
    runs = 1;
  }
  const u64 at = data.size();
  data.push_back(static_cast<u64>(runs));
  data.insert(data.end(), count, count + runs);
  data.insert(data.end(), step_a, step_a + runs);
  data.insert(data.end(), step_b, step_b + runs);
  return at;
}

struct Item {
  Operand operand;
  Mask set;
};

// Builds the plan for f fixed digits.
Plan make_plan(const Shape& s, const CompiledNetwork<NmodRing>& compiled, int f) {
  Plan plan;
  plan.digits = s.digits;
  plan.fixed = f;
  plan.m = s.m;
  const Mask all = s.digits == 0 ? 0 : (s.digits == 64 ? ~Mask{0} : (Mask{1} << s.digits) - 1);
  const Mask prefix = f == 0 ? 0 : (Mask{1} << f) - 1;
  const Mask free_mask = all & ~prefix;
  plan.block_entries = sat_pow(s.m, s.digits - f);
  if (plan.block_entries >= size_cap) plan.saturated = true;
  const std::vector<LayerGeometry>& geometry = compiled.geometry();
  const std::size_t layers = geometry.size();
  const u64 m = s.m;

  auto table_length = [&](Mask set) {
    const u64 len = sat_pow(m, std::popcount(set));
    if (len >= size_cap) plan.saturated = true;
    return len;
  };
  // The operand that is each unit's table (set = mask & free).
  std::vector<std::vector<Operand>> result(layers);
  for (std::size_t l = 0; l < layers; ++l) result[l].resize(static_cast<std::size_t>(geometry[l].units()));

  for (std::size_t l = 0; l < layers; ++l) {
    const LayerGeometry& g = geometry[l];
    const bool top = l + 1 == layers;
    const int channels = g.out_channels;
    for (int u = 0; u < g.units(); ++u) {
      if (!s.needed[l][static_cast<std::size_t>(u)]) continue;
      UnitProgram prog;
      prog.layer = static_cast<int>(l);
      const Mask unit_mask = s.masks[l][static_cast<std::size_t>(u)];
      prog.depends = unit_mask & prefix;
      u64 scratch = 0;
      auto new_scratch = [&](u64 elements) {
        Operand o;
        o.where = Where::scratch;
        o.offset = scratch;
        scratch = std::min(size_cap, scratch + elements);
        return o;
      };
      auto new_retained = [&](u64 elements) {
        Operand o;
        o.where = Where::retained;
        o.offset = plan.retained_size;
        plan.retained_size = std::min(size_cap, plan.retained_size + elements);
        return o;
      };
      const auto* begin = compiled.inputs_begin(l, u);
      const auto* end = compiled.inputs_end(l, u);
      const std::size_t inputs = static_cast<std::size_t>(end - begin);
      std::vector<Item> items;
      for (const auto* in = begin; in != end; ++in) {
        const auto pos = static_cast<std::size_t>(in->position);
        if (l == 0) {
          // W·F[d] (or F[d] for a pool layer), tabulated per matrix: channel-major over d.
          Operand o;
          o.where = Where::constant;
          o.offset = s.leaf_offset + static_cast<u64>(in->matrix) * static_cast<u64>(channels) * m;
          o.channel_stride = m;
          const int t = s.digit_of_position[pos];
          Mask set = 0;
          if (t >= 0 && ((free_mask >> t) & 1)) {
            set = Mask{1} << t;
          } else if (t >= 0) {
            o.digit = t;  // fixed in the block: its current value selects the row
          } else {
            o.offset += static_cast<u64>(s.template_of_position[pos]);
          }
          items.push_back({o, set});
          continue;
        }
        const Mask child_set = s.masks[l - 1][pos] & free_mask;
        const Operand child = result[l - 1][pos];
        if (g.pooling) {
          items.push_back({child, child_set});
          continue;
        }
        const u64 len = table_length(child_set);
        Op op{};
        op.kind = OpKind::transform;
        op.a = child;
        op.channels = channels;
        op.in_channels = g.in_channels;
        op.matrix_offset = s.weights_offset[l] + static_cast<u64>(in->matrix) * static_cast<u64>(channels) *
                                                      static_cast<u64>(g.in_channels);
        op.length = len;
        const u64 elements = sat_mul(len, static_cast<u64>(channels));
        op.dst = (inputs == 1 && !top) ? new_retained(elements) : new_scratch(elements);
        op.dst.channel_stride = len;
        prog.ops.push_back(op);
        items.push_back({op.dst, child_set});
      }
      if (top) {
        Operand r;
        r.where = Where::constant;
        r.offset = s.readout_offset;
        items.push_back({r, 0});
      }
      if (items.empty() || (top && items.size() == 1)) {
        Operand ones;
        ones.where = Where::constant;
        ones.offset = s.ones_offset;
        items.push_back({ones, 0});
      }
      // Products two at a time; the top keeps the last two for the dot product. Up to 24
      // operands (a 4x4 window and the readout), greedily the pair whose union is smallest;
      // beyond, first the surplus one after the other in order of their number of digits, so
      // that the one-row tables of fixed positions are multiplied together first.
      const std::size_t keep = top ? 2 : 1;
      auto merge = [&](const Item& x, const Item& y, bool last) {
        const Mask uni = x.set | y.set;
        const u64 len = table_length(uni);
        const u64 elements = sat_mul(len, static_cast<u64>(channels));
        Op op{};
        op.kind = OpKind::merge;
        op.a = x.operand;
        op.b = y.operand;
        op.channels = channels;
        op.dst = (last && !top) ? new_retained(elements) : new_scratch(elements);
        op.dst.channel_stride = len;
        op.loop = make_loop(plan.loop_data, x.set, y.set, uni, s.digits, m);
        prog.ops.push_back(op);
        return Item{op.dst, uni};
      };
      constexpr std::size_t greedy_limit = 24;
      if (items.size() > greedy_limit) {
        std::stable_sort(items.begin(), items.end(), [](const Item& x, const Item& y) {
          const int px = std::popcount(x.set), py = std::popcount(y.set);
          return px != py ? px < py : x.set < y.set;
        });
        Item folded = items[0];
        std::size_t next = 1;
        while (1 + (items.size() - next) > greedy_limit) folded = merge(folded, items[next++], false);
        std::vector<Item> rest{folded};
        rest.insert(rest.end(), items.begin() + static_cast<std::ptrdiff_t>(next), items.end());
        items.swap(rest);
      }
      while (items.size() > keep) {
        std::size_t bi = 0, bj = 1;
        int best = std::numeric_limits<int>::max(), best_sum = best;
        for (std::size_t i = 0; i < items.size(); ++i)
          for (std::size_t j = i + 1; j < items.size(); ++j) {
            const int uni = std::popcount(items[i].set | items[j].set);
            const int sum = std::popcount(items[i].set) + std::popcount(items[j].set);
            if (uni < best || (uni == best && sum < best_sum)) best = uni, best_sum = sum, bi = i, bj = j;
          }
        const Item merged = merge(items[bi], items[bj], items.size() == 2);
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(bj));
        items[bi] = merged;
      }
      if (top) {
        Op op{};
        op.kind = OpKind::dot;
        op.a = items[0].operand;
        op.b = items[1].operand;
        op.channels = channels;
        op.loop = make_loop(plan.loop_data, items[0].set, items[1].set, free_mask, s.digits, m);
        prog.ops.push_back(op);
      } else {
        result[l][static_cast<std::size_t>(u)] = items[0].operand;
      }
      plan.scratch_size = std::max(plan.scratch_size, scratch);
      if (!prog.ops.empty()) plan.units.push_back(std::move(prog));
    }
  }
  return plan;
}

// ---- the two representations ----------------------------------------------------------------

struct DoubleEngine {
  using Elem = double;
  tk::DoubleField field;
  std::uint64_t prime;
  explicit DoubleEngine(std::uint64_t p) : prime(p) {
    field.p = static_cast<double>(p);
    field.pinv = 1.0 / field.p;
    const double pm1 = static_cast<double>(p - 1);
    const double limit = std::ldexp(1.0, 53) - field.p;
    const double terms = pm1 == 0 ? 1 << 20 : std::floor(limit / (pm1 * pm1));
    field.max_terms = static_cast<int>(std::clamp(terms, 1.0, static_cast<double>(1 << 20)));
  }
  Elem from_residue(std::uint64_t v) const { return static_cast<double>(v); }  // weights, factors
  Elem from_readout(std::uint64_t v) const { return static_cast<double>(v); }
  Elem one() const { return 1.0; }
};

struct MontEngine {
  using Elem = std::uint64_t;
  tk::MontField field;
  std::uint64_t prime;
  explicit MontEngine(std::uint64_t p) : prime(p) {
    if (p % 2 == 0 || p >= (u64{1} << 63)) throw std::logic_error("table assembly: Montgomery needs an odd p < 2^63");
    field.p = p;
    u64 inv = 1;  // Newton: inv = p^{-1} mod 2^64
    for (int i = 0; i < 7; ++i) inv *= 2 - p * inv;
    field.ninv = ~inv + 1;
    const unsigned __int128 r = (static_cast<unsigned __int128>(1) << 64) % p;
    field.one = static_cast<u64>(r);
    field.r2 = static_cast<u64>((r * r) % p);
  }
  Elem from_residue(std::uint64_t v) const { return tk::mont_mul(field, v, field.r2); }
  Elem from_readout(std::uint64_t v) const { return v; }  // ordinary form (see table_kernels.hpp)
  Elem one() const { return field.one; }
};

template <class Engine>
std::vector<typename Engine::Elem> make_constants(const Engine& engine, const CompiledNetwork<NmodRing>& compiled,
                                                  Shape& s) {
  using Elem = typename Engine::Elem;
  std::vector<Elem> c;
  const std::vector<LayerGeometry>& geometry = compiled.geometry();
  const LayerGeometry& g0 = geometry[0];
  const auto m = static_cast<std::size_t>(s.m);
  const auto c1 = static_cast<std::size_t>(g0.out_channels);
  // Layer 1's factors, as CompiledNetwork tabulated them: one per (matrix, template), C_1 long.
  std::int64_t matrices = 0;
  for (int u = 0; u < g0.units(); ++u)
    for (const auto* in = compiled.inputs_begin(0, u); in != compiled.inputs_end(0, u); ++in)
      matrices = std::max(matrices, in->matrix + 1);
  s.leaf_offset = c.size();
  for (std::int64_t mat = 0; mat < matrices; ++mat)
    for (std::size_t ch = 0; ch < c1; ++ch)
      for (std::size_t d = 0; d < m; ++d)
        c.push_back(engine.from_residue(compiled.first_layer_factor(mat, static_cast<int>(d))[ch]));
  s.weights_offset.assign(geometry.size(), 0);
  for (std::size_t l = 1; l < geometry.size(); ++l) {
    const LayerGeometry& g = geometry[l];
    s.weights_offset[l] = c.size();
    if (g.pooling) continue;
    std::int64_t layer_matrices = 0;
    for (int u = 0; u < g.units(); ++u)
      for (const auto* in = compiled.inputs_begin(l, u); in != compiled.inputs_end(l, u); ++in)
        layer_matrices = std::max(layer_matrices, in->matrix + 1);
    const auto per = static_cast<std::size_t>(g.out_channels) * static_cast<std::size_t>(g.in_channels);
    for (std::int64_t mat = 0; mat < layer_matrices; ++mat) {
      const auto* w = compiled.layer_matrix(l, mat);
      for (std::size_t i = 0; i < per; ++i) c.push_back(engine.from_residue(w[i]));
    }
  }
  s.readout_offset = c.size();
  for (mp_limb_t a : compiled.readout()) c.push_back(engine.from_readout(a));
  s.ones_offset = c.size();
  int max_channels = 1;
  for (const LayerGeometry& g : geometry) max_channels = std::max(max_channels, g.out_channels);
  c.insert(c.end(), static_cast<std::size_t>(max_channels), engine.one());
  return c;
}

// Whether row i of the matrix starts at rows[0] + i·cols (nmod_mat_init allocates one block).
bool rows_are_one_block(const NmodMatrix& matrix) {
  for (std::int64_t i = 1; i < matrix.rows(); ++i)
    if (matrix.get()->rows[i] != matrix.get()->rows[0] + i * matrix.cols()) return false;
  return matrix.rows() > 0;
}

// One thread's run over blocks [first, last).
template <class Engine>
void run_blocks(const Engine& engine, const Plan& plan, const std::vector<typename Engine::Elem>& constants,
                NmodMatrix& matrix, u64 first, u64 last, Progress* progress) {
  using Elem = typename Engine::Elem;
  constexpr bool doubles = std::is_same_v<Elem, double>;
  std::vector<Elem> retained(plan.retained_size), scratch(plan.scratch_size);
  const u64 e = plan.block_entries;
  const bool contiguous = rows_are_one_block(matrix);
  std::vector<std::uint64_t> staging(contiguous ? 0 : e);
  std::vector<double> acc(doubles ? e : 0);
  const int f = plan.fixed;
  const u64 m = plan.m;
  std::vector<int> digit(static_cast<std::size_t>(std::max(f, 1)), 0);
  {
    u64 b = first;
    for (int t = f; t-- > 0;) {
      digit[static_cast<std::size_t>(t)] = static_cast<int>(b % m);
      b /= m;
    }
  }
  const auto cols = static_cast<u64>(matrix.cols());
  auto ptr = [&](const Operand& o) -> Elem* {
    u64 off = o.offset;
    if (o.digit >= 0) off += static_cast<u64>(digit[static_cast<std::size_t>(o.digit)]);
    switch (o.where) {
      case Where::scratch: return scratch.data() + off;
      case Where::retained: return retained.data() + off;
      case Where::constant: return const_cast<Elem*>(constants.data()) + off;
    }
    return nullptr;
  };
  int changed = 0;  // most significant fixed digit changed since the previous block
  for (u64 block = first; block < last; ++block) {
    const Mask since = block == first ? ~Mask{0} : ~((Mask{1} << changed) - 1);
    // The dot product writes the block's entries straight into the matrix when its rows are one
    // block of memory (nmod_mat_init), else into `staging`, copied row by row below.
    std::uint64_t* const out = contiguous ? matrix.get()->rows[0] + block * e : staging.data();
    for (const UnitProgram& prog : plan.units) {
      const bool is_top = &prog == &plan.units.back();
      if (!is_top && block != first && !(prog.depends & since)) continue;
      for (const Op& op : prog.ops) {
        switch (op.kind) {
          case OpKind::transform:
            tk::transform(engine.field, constants.data() + op.matrix_offset, op.channels, op.in_channels, ptr(op.a),
                          op.a.channel_stride, op.length, ptr(op.dst));
            break;
          case OpKind::merge:
            tk::merge(engine.field, plan.loop(op.loop), op.channels, ptr(op.a),
                      op.a.channel_stride, ptr(op.b), op.b.channel_stride, ptr(op.dst), op.dst.channel_stride);
            break;
          case OpKind::dot:
            if constexpr (doubles)
              tk::dot(engine.field, plan.loop(op.loop), op.channels, ptr(op.a),
                      op.a.channel_stride, ptr(op.b), op.b.channel_stride, acc.data(), out);
            else
              tk::dot(engine.field, plan.loop(op.loop), op.channels, ptr(op.a),
                      op.a.channel_stride, ptr(op.b), op.b.channel_stride, out);
            break;
        }
      }
    }
    // The block is entries [block·e, (block+1)·e) of the row-major matrix.
    u64 index = block * e, done = 0;
    u64 rows_done = 0;
    while (done < e) {
      const u64 row = index / cols, col = index % cols;
      const u64 n = std::min(e - done, cols - col);
      if (!contiguous)
        std::memcpy(&matrix.at(static_cast<std::int64_t>(row), static_cast<std::int64_t>(col)), out + done,
                    n * sizeof(std::uint64_t));
      if (col + n == cols) ++rows_done;
      done += n;
      index += n;
    }
    // One row at a time, as the odometer reports (a display draws at the first row).
    if (progress)
      for (u64 r = 0; r < rows_done; ++r) progress->advance(1);
    // Next block: the odometer over the fixed digits.
    if (block + 1 < last) {
      int t = f - 1;
      for (; t >= 0; --t) {
        if (++digit[static_cast<std::size_t>(t)] < static_cast<int>(m)) break;
        digit[static_cast<std::size_t>(t)] = 0;
      }
      changed = std::max(t, 0);
    }
  }
}

// Asks the kernel to back the matrix's entries with transparent huge pages (where it is set to
// "madvise"): the matrix is written once, and first-touch page faults of 4 KiB pages cost more
// than the whole table computation (measured: 0.9 s against 0.04 s for the 128 MiB of a 4096 x
// 4096 matrix on a virtual machine). The entries are one block (nmod_mat_init); a refusal is
// harmless.
void advise_huge_pages(NmodMatrix& matrix) {
  const std::size_t bytes = static_cast<std::size_t>(matrix.rows()) * static_cast<std::size_t>(matrix.cols()) *
                            sizeof(mp_limb_t);
  if (matrix.rows() == 0 || bytes < (std::size_t{4} << 20)) return;
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto begin = reinterpret_cast<std::uintptr_t>(matrix.get()->rows[0]);
  const std::uintptr_t first = (begin + page - 1) / page * page, end = (begin + bytes) / page * page;
  if (!rows_are_one_block(matrix)) return;
  if (end > first) madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
}

int fixed_digits_for_threads(const Shape& s, int threads) {
  int f = 0;
  while (f < s.digits && sat_pow(s.m, f) < static_cast<u64>(std::max(threads, 1))) ++f;
  return f;
}

// 2 MiB per thread (the best of 256 KiB to 64 MiB on bench_table_assembly's matrices), but at
// most a quarter of the matrix (at least 64 KiB): a small matrix gains nothing from large
// blocks, and fresh memory costs a page fault per 4 KiB (about 30 us each on a virtual machine,
// measured: a 256 x 256 strip took 20 ms with 1.5 MiB of tables, 1 ms with 47 KiB).
std::size_t default_working_set(u64 matrix_entries) {
  const u64 quarter = matrix_entries * sizeof(std::uint64_t) / 4;
  return static_cast<std::size_t>(std::clamp<u64>(quarter, u64{1} << 16, u64{1} << 21));
}

// Chooses f (the smallest whose plan fits the working set) and builds its plan.
Plan choose_plan(const Shape& s, const CompiledNetwork<NmodRing>& compiled, const TableAssemblyOptions& options,
                 bool doubles) {
  const std::size_t elem = 8;
  if (options.fixed_digits >= 0) return make_plan(s, compiled, std::min(options.fixed_digits, s.digits));
  const int lo_f = fixed_digits_for_threads(s, options.threads);
  const Plan finest = make_plan(s, compiled, s.digits);
  const std::size_t wanted =
      options.working_set_bytes ? options.working_set_bytes : default_working_set(sat_pow(s.m, s.digits));
  const double budget = std::max(static_cast<double>(wanted), 2 * finest.bytes(elem, doubles));
  int lo = lo_f, hi = s.digits;  // plan(hi) fits or is the finest
  while (lo < hi) {
    const int mid = (lo + hi) / 2;
    const Plan p = make_plan(s, compiled, mid);
    if (!p.saturated && p.bytes(elem, doubles) <= budget)
      hi = mid;
    else
      lo = mid + 1;
  }
  return hi == s.digits ? finest : make_plan(s, compiled, hi);
}

template <class Engine>
NmodMatrix assemble_with(const Engine& engine, const PreparedNetwork& net, const TableAssemblyOptions& options) {
  const CompiledNetwork<NmodRing> compiled(NmodRing(engine.prime), net.arch, net.geometry, net.weights);
  Shape shape = make_shape(net, compiled);
  const std::vector<typename Engine::Elem> constants = make_constants(engine, compiled, shape);
  constexpr bool doubles = std::is_same_v<typename Engine::Elem, double>;
  const Plan plan = choose_plan(shape, compiled, options, doubles);
  if (plan.saturated) throw resource_error("table assembly: a table would exceed 2^62 entries");
  NmodMatrix matrix(static_cast<std::int64_t>(net.rows), static_cast<std::int64_t>(net.cols), engine.prime);
  advise_huge_pages(matrix);
  if (static_cast<u64>(net.rows) * static_cast<u64>(net.cols) != sat_pow(shape.m, shape.digits))
    throw std::logic_error("table assembly: the matrix is not M^digits entries");
  const u64 blocks = sat_pow(shape.m, plan.fixed);
  const u64 parts = std::clamp<u64>(static_cast<u64>(std::max(options.threads, 1)), 1, blocks);
  std::vector<std::thread> workers;
  std::vector<std::exception_ptr> errors(parts);
  auto work = [&](u64 t) {
    try {
      run_blocks(engine, plan, constants, matrix, blocks * t / parts, blocks * (t + 1) / parts, options.progress);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  for (u64 t = 1; t < parts; ++t) workers.emplace_back(work, t);
  work(0);
  for (auto& w : workers) w.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  return matrix;
}

}  // namespace

bool table_assembly_applies(const PreparedNetwork& net, std::uint64_t prime) {
  if (prime < 2 || prime >= (u64{1} << 63)) return false;
  if (prime >= double_prime_limit && prime % 2 == 0) return false;  // not a prime
  if (net.rows == 0 || net.cols == 0 || net.geometry.empty()) return false;
  return net.partition.vary_I.size() + net.partition.vary_J.size() <= 63 || net.arch.templates == 1;
}

TableAssemblyPlanInfo table_assembly_plan(const PreparedNetwork& net, std::uint64_t prime,
                                          const TableAssemblyOptions& options) {
  const CompiledNetwork<NmodRing> compiled(NmodRing(prime), net.arch, net.geometry, net.weights);
  Shape shape = make_shape(net, compiled);
  const bool doubles = prime < double_prime_limit;
  const Plan plan = choose_plan(shape, compiled, options, doubles);
  TableAssemblyPlanInfo info;
  info.digits = shape.digits;
  info.fixed_digits = plan.fixed;
  info.blocks = sat_pow(shape.m, plan.fixed);
  info.block_entries = plan.block_entries;
  info.bytes_per_thread = static_cast<std::size_t>(plan.bytes(8, doubles));
  info.threads = static_cast<int>(std::clamp<u64>(static_cast<u64>(std::max(options.threads, 1)), 1, info.blocks));
  info.doubles = doubles;
  return info;
}

NmodMatrix assemble_mod_p_by_tables(const PreparedNetwork& net, std::uint64_t prime, int threads) {
  TableAssemblyOptions options;
  options.threads = threads;
  return assemble_mod_p_by_tables(net, prime, options);
}

NmodMatrix assemble_mod_p_by_tables(const PreparedNetwork& net, std::uint64_t prime,
                                    const TableAssemblyOptions& options) {
  if (!table_assembly_applies(net, prime))
    throw std::logic_error("assemble_mod_p_by_tables: not applicable (table_assembly_applies)");
  if (prime < double_prime_limit) return assemble_with(DoubleEngine(prime), net, options);
  return assemble_with(MontEngine(prime), net, options);
}

}  // namespace seprank
