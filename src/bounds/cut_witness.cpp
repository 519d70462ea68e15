#include "seprank/bounds/cut_witness.hpp"

namespace seprank {

nlohmann::ordered_json architecture_without_weights_json(const Architecture& arch, bool with_sharing) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const LayerSpec& l : arch.layers) {
    nlohmann::ordered_json layer;
    layer["kind"] = l.pooling ? "pool" : "gc";
    layer["window"] = l.window;
    layer["stride"] = l.stride;
    if (!l.pooling) layer["channels"] = l.channels;
    layers.push_back(std::move(layer));
  }
  nlohmann::ordered_json out;
  out["input"] = {{"dims", arch.dims}, {"height", arch.height}, {"width", arch.width}};
  out["templates"] = arch.templates;
  out["padding"] = to_string(arch.padding);
  if (with_sharing) out["sharing"] = to_string(arch.sharing);
  out["layers"] = std::move(layers);
  return out;
}

nlohmann::ordered_json cut_witness_json(const Architecture& arch, const Partition& partition,
                                        const MinCutBound& bound) {
  nlohmann::ordered_json cut = nlohmann::ordered_json::array();
  if (bound.limited_by == BoundLimit::matrix_size) {
    const std::vector<int>& side = partition.I.size() <= partition.J.size() ? partition.I : partition.J;
    for (int p : side) cut.push_back({{"input", p}});
  } else {
    for (const CutItem& item : bound.cut) {
      if (item.witness_kind == CutItem::WitnessKind::input)
        cut.push_back({{"input", item.input_position}});
      else
        cut.push_back({{item.witness_kind == CutItem::WitnessKind::unit ? "unit" : "matrix", item.path}});
    }
  }
  nlohmann::ordered_json doc;
  doc["format"] = "seprank-cut-witness";
  doc["format_version"] = cut_witness_format_version;
  doc["seprank_version"] = SEPRANK_VERSION;
  doc["claim"] = {{"statement", "rank <= " + bound.bound + " for all weights"}, {"rank_at_most", bound.bound}};
  doc["architecture"] = architecture_without_weights_json(arch);
  doc["partition"] = {{"I", partition.I}, {"spec", canonical_partition_spec(partition.spec, partition.I)}};
  doc["cut"] = std::move(cut);
  return doc;
}

}  // namespace seprank
