#include "seprank/cluster/merge.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "seprank/cluster/shard.hpp"
#include "seprank/support/errors.hpp"
#include "seprank/theorems/verify_report.hpp"

namespace seprank {

namespace {

using nlohmann::json;

Error malformed(const std::string& name, const std::string& what) { return data_error(name + ": " + what); }

// A non-negative integer member, or a data error.
std::uint64_t natural(const json& object, const char* key, const std::string& name, const std::string& where) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_number_unsigned())
    throw malformed(name, where + " has no non-negative integer \"" + key + "\"");
  return object[key].get<std::uint64_t>();
}

const json& member(const json& object, const char* key, json::value_t type, const std::string& name,
                   const std::string& where) {
  if (!object.is_object() || !object.contains(key) || object[key].type() != type)
    throw malformed(name, where + " has no " + json(type).type_name() + " \"" + key + "\"");
  return object[key];
}

// ---- verify documents ----

struct VerifyShard {
  const ShardOutput* input;
  json document;
  std::optional<Shard> shard;  // absent: a whole, unsharded run
  std::string fingerprint;
};

VerifyShard read_verify_shard(const ShardOutput& input, json document) {
  VerifyShard s{&input, std::move(document), std::nullopt, ""};
  const json& d = s.document;
  const std::uint64_t schema = natural(d, "schema_version", input.name, "the document");
  if (schema != verify_schema_version)
    throw malformed(input.name, "a verify document of schema_version " + std::to_string(schema) + "; this merge reads " +
                                    std::to_string(verify_schema_version) + " (shards and merge of one seprank)");
  member(d, "theorems", json::value_t::array, input.name, "the document");
  if (!d.contains("shard")) return s;
  const json& shard = member(d, "shard", json::value_t::object, input.name, "the document");
  const std::uint64_t i = natural(shard, "index", input.name, "\"shard\""), n = natural(shard, "count", input.name, "\"shard\"");
  if (i < 1 || i > n || n > max_shard_count) throw malformed(input.name, "\"shard\" is not i/n with 1 <= i <= n");
  s.shard = Shard{i, n};
  s.fingerprint = member(shard, "fingerprint", json::value_t::string, input.name, "\"shard\"").get<std::string>();
  natural(shard, "instances", input.name, "\"shard\"");
  for (const json& t : d["theorems"]) {
    natural(t, "first_index", input.name, "a theorem");
    natural(t, "instance_count", input.name, "a theorem");
    for (const json& instance : member(t, "instances", json::value_t::array, input.name, "a theorem"))
      natural(instance, "index", input.name, "an instance");
  }
  return s;
}

// The document without what only shards carry.
json theorem_header(json theorem) {
  theorem.erase("first_index");
  theorem.erase("instance_count");
  theorem.erase("instances");
  return theorem;
}

json top_header(json document) {
  document.erase("shard");
  document.erase("theorems");
  document.erase("summary");
  return document;
}

MergedRun merge_verify(std::vector<VerifyShard> shards) {
  // A whole run alone is its own merge (n = 1).
  const auto whole = std::find_if(shards.begin(), shards.end(), [](const VerifyShard& s) { return !s.shard; });
  if (whole != shards.end()) {
    if (shards.size() > 1) {
      const auto other = whole == shards.begin() ? shards.begin() + 1 : shards.begin();
      if (!other->shard)
        throw Error(exit_merge_duplicate_shard,
                    whole->input->name + " and " + other->input->name + " are both whole runs (no shard)");
      throw Error(exit_merge_shard_count, whole->input->name + " is a whole run (no shard) but " + other->input->name +
                                              " is shard " + to_string(*other->shard));
    }
  }
  const VerifyShard& first = shards.front();
  for (const VerifyShard& s : shards) {
    if (s.fingerprint != first.fingerprint)
      throw Error(exit_merge_different_runs,
                  s.input->name + " and " + first.input->name +
                      " are shards of different runs (their fingerprints differ: other files, options or version)");
    if (s.shard && s.shard->count != first.shard->count)
      throw Error(exit_merge_shard_count, s.input->name + " is shard " + to_string(*s.shard) + " but " +
                                              first.input->name + " is shard " + to_string(*first.shard));
  }
  const std::uint64_t n = first.shard ? first.shard->count : 1;
  std::map<std::uint64_t, const VerifyShard*> by_index;
  for (const VerifyShard& s : shards) {
    const std::uint64_t i = s.shard ? s.shard->index : 1;
    const auto [it, fresh] = by_index.emplace(i, &s);
    if (!fresh)
      throw Error(exit_merge_duplicate_shard, s.input->name + " and " + it->second->input->name + " are both shard " +
                                                  std::to_string(i) + "/" + std::to_string(n));
  }
  for (std::uint64_t i = 1; i <= n; ++i)
    if (!by_index.count(i))
      throw Error(exit_merge_missing_shard, "shard " + std::to_string(i) + "/" + std::to_string(n) +
                                                " is missing (" + std::to_string(shards.size()) + " of " +
                                                std::to_string(n) + " shards given)");

  // The same run in every shard: the same document apart from the instances.
  const json& theorems0 = first.document["theorems"];
  for (const VerifyShard& s : shards) {
    const json& theorems = s.document["theorems"];
    bool same = top_header(s.document) == top_header(first.document) && theorems.size() == theorems0.size() &&
                (!s.shard || s.document["shard"]["instances"] == first.document["shard"]["instances"]);
    for (std::size_t t = 0; same && t < theorems.size(); ++t)
      same = theorem_header(theorems[t]) == theorem_header(theorems0[t]) &&
             (!s.shard || (theorems[t]["first_index"] == theorems0[t]["first_index"] &&
                           theorems[t]["instance_count"] == theorems0[t]["instance_count"]));
    if (!same)
      throw malformed(s.input->name, "its theorems or header differ from " + first.input->name +
                                         "'s although the fingerprints agree (an edited file?)");
  }

  json merged = top_header(first.document);
  json theorems = json::array();
  std::uint64_t expected_first = 0;
  for (std::size_t t = 0; t < theorems0.size(); ++t) {
    json theorem = theorem_header(theorems0[t]);
    json instances = json::array();
    if (!first.shard) {
      instances = member(theorems0[t], "instances", json::value_t::array, first.input->name, "a theorem");
    } else {
      const std::uint64_t lo = theorems0[t]["first_index"].get<std::uint64_t>();
      const std::uint64_t count = theorems0[t]["instance_count"].get<std::uint64_t>();
      if (lo != expected_first) throw malformed(first.input->name, "theorem " + std::to_string(t + 1) + "'s first_index is not the sum of the counts before it");
      expected_first += count;
      std::map<std::uint64_t, std::pair<json, const VerifyShard*>> found;
      for (const VerifyShard& s : shards)
        for (const json& instance : s.document["theorems"][t]["instances"]) {
          const std::uint64_t k = instance["index"].get<std::uint64_t>();
          const std::string what = "instance " + std::to_string(k) + " (" + theorem.value("id", std::string()) + ")";
          if (k < lo || k - lo >= count)
            throw malformed(s.input->name, what + " is outside its theorem's indices " + std::to_string(lo) + ".." +
                                               std::to_string(lo + count) + " (exclusive)");
          if (!s.shard->holds(k))
            throw Error(exit_merge_wrong_shard, s.input->name + ": " + what + " belongs to shard " +
                                                    std::to_string(Shard::of(k, n)) + "/" + std::to_string(n) +
                                                    ", not to shard " + to_string(*s.shard));
          json copy = instance;
          copy.erase("index");
          const auto [it, fresh] = found.emplace(k, std::make_pair(std::move(copy), &s));
          if (!fresh)
            throw Error(exit_merge_duplicate_unit, s.input->name + ": " + what + " appears twice (also in " +
                                                       it->second.second->input->name + ")");
        }
      for (std::uint64_t k = lo; k < lo + count; ++k)
        if (!found.count(k))
          throw Error(exit_merge_missing_unit, by_index.at(Shard::of(k, n))->input->name + ": instance " +
                                                   std::to_string(k) + " (" + theorem.value("id", std::string()) +
                                                   ") of this shard is missing");
      for (auto& [k, entry] : found) instances.push_back(std::move(entry.first));
    }
    theorem["instances"] = std::move(instances);
    theorems.push_back(std::move(theorem));
  }
  if (first.shard && expected_first != first.document["shard"]["instances"].get<std::uint64_t>())
    throw malformed(first.input->name, "\"shard\".instances is not the sum of the theorems' instance counts");
  merged["summary"] = verify_summary(theorems);  // verify's own code
  merged["theorems"] = std::move(theorems);
  MergedRun out;
  out.ok = summary_ok(merged["summary"]);
  out.bytes = merged.dump(2) + "\n";  // as verify prints it
  return out;
}

// ---- sweep JSON Lines ----

struct Line {
  std::uint64_t index = 0, family_size = 0;
  std::string fingerprint, text;
};

std::vector<Line> read_lines(const ShardOutput& input) {
  std::vector<Line> lines;
  std::size_t start = 0, number = 0;
  while (start < input.bytes.size()) {
    std::size_t end = input.bytes.find('\n', start);
    if (end == std::string::npos) end = input.bytes.size();
    ++number;
    const std::string where = "line " + std::to_string(number);
    Line line;
    line.text = input.bytes.substr(start, end - start);
    json object;
    try {
      object = json::parse(line.text);
    } catch (const json::exception&) {
      throw malformed(input.name, where + " is not a JSON object (neither a verify --json document nor JSON Lines)");
    }
    if (!object.is_object()) throw malformed(input.name, where + " is not a JSON object");
    line.index = natural(object, "index", input.name, where);
    line.family_size = natural(object, "family_size", input.name, where);
    line.fingerprint = member(object, "fingerprint", json::value_t::string, input.name, where).get<std::string>();
    if (line.index >= line.family_size)
      throw malformed(input.name, where + ": index " + std::to_string(line.index) + " is not below family_size " +
                                      std::to_string(line.family_size));
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

// The common step of a file's indices when they are r, r + s, r + 2s, ... in order (0 if not,
// or fewer than two lines): the shard count such a file was written for.
std::uint64_t progression_step(const std::vector<Line>& lines) {
  if (lines.size() < 2 || lines[1].index <= lines[0].index) return 0;
  const std::uint64_t step = lines[1].index - lines[0].index;
  for (std::size_t k = 1; k < lines.size(); ++k)
    if (lines[k].index != lines[k - 1].index + step) return 0;
  return step;
}

MergedRun merge_lines(const std::vector<ShardOutput>& inputs) {
  // A line carries no shard number: there are as many shards as files (empty ones too), and a
  // file's shard is its first index mod n.
  const std::uint64_t n = inputs.size();
  std::vector<std::vector<Line>> files;
  for (const ShardOutput& input : inputs) files.push_back(read_lines(input));
  const Line* reference = nullptr;
  std::size_t reference_file = 0;
  for (std::size_t f = 0; f < files.size(); ++f)
    for (const Line& line : files[f]) {
      if (!reference) {
        reference = &line;
        reference_file = f;
      }
      if (line.fingerprint != reference->fingerprint || line.family_size != reference->family_size)
        throw Error(exit_merge_different_runs,
                    inputs[f].name + " and " + inputs[reference_file].name +
                        " hold lines of different runs (their fingerprints or family sizes differ)");
    }
  std::map<std::uint64_t, std::size_t> shard_file;  // shard (1-based) -> file
  std::uint64_t larger_step = 0;  // a file written for more shards than were given
  for (std::size_t f = 0; f < files.size(); ++f) {
    if (files[f].empty()) continue;
    const std::uint64_t shard = Shard::of(files[f].front().index, n);
    const std::uint64_t step = progression_step(files[f]);
    if (step > n) larger_step = step;
    for (const Line& line : files[f])
      if (Shard::of(line.index, n) != shard) {
        const std::string holds = inputs[f].name + " holds the indices " + std::to_string(files[f].front().index) +
                                  ", " + std::to_string(files[f].front().index + step) + ", ... (" +
                                  (step == 1 ? std::string("a whole run") : "a shard of " + std::to_string(step)) +
                                  "), but " + std::to_string(n) + " files were given";
        if (step > n) throw Error(exit_merge_missing_shard, holds + ": a shard is missing");
        if (step != 0 && step < n) throw Error(exit_merge_shard_count, holds + " as the shards of one run");
        throw Error(exit_merge_wrong_shard, inputs[f].name + ": index " + std::to_string(line.index) +
                                                " belongs to shard " + std::to_string(Shard::of(line.index, n)) +
                                                "/" + std::to_string(n) + ", not to this file's shard " +
                                                std::to_string(shard) + "/" + std::to_string(n) +
                                                " (one file per shard, in any order)");
      }
    const auto [it, fresh] = shard_file.emplace(shard, f);
    if (!fresh)
      throw Error(exit_merge_duplicate_shard, inputs[f].name + " and " + inputs[it->second].name + " are both shard " +
                                                  std::to_string(shard) + "/" + std::to_string(n));
  }
  std::map<std::uint64_t, const std::string*> by_index;
  for (std::size_t f = 0; f < files.size(); ++f)
    for (const Line& line : files[f])
      if (!by_index.emplace(line.index, &line.text).second)
        throw Error(exit_merge_duplicate_unit,
                    inputs[f].name + ": index " + std::to_string(line.index) + " appears twice");
  MergedRun out;
  if (!reference) return out;  // every shard empty: so is the run
  for (std::uint64_t k = 0; k < reference->family_size; ++k)
    if (!by_index.count(k)) {
      if (larger_step) {
        throw Error(exit_merge_missing_shard, "index " + std::to_string(k) + " is missing: the files are shards of " +
                                                  std::to_string(larger_step) + ", but " + std::to_string(n) +
                                                  " files were given");
      }
      const auto it = shard_file.find(Shard::of(k, n));
      if (it == shard_file.end())
        throw Error(exit_merge_missing_shard, "index " + std::to_string(k) + " is missing: no file holds shard " +
                                                  std::to_string(Shard::of(k, n)) + "/" + std::to_string(n));
      throw Error(exit_merge_missing_unit, inputs[it->second].name + ": index " + std::to_string(k) +
                                               " of this shard is missing (a truncated file?)");
    }
  for (const auto& [k, text] : by_index) out.bytes += *text + "\n";
  return out;
}

}  // namespace

MergedRun merge_shard_outputs(const std::vector<ShardOutput>& inputs) {
  if (inputs.empty()) throw usage_error("merge needs the outputs of a run's shards");
  // A verify document is one JSON object with "command": "verify"; anything else is read as
  // JSON Lines (a one-line file parses as one object too, but has no "command").
  std::vector<VerifyShard> documents;
  std::vector<const ShardOutput*> line_files;
  for (const ShardOutput& input : inputs) {
    json document;
    bool parsed = false;
    try {
      document = json::parse(input.bytes);
      parsed = true;
    } catch (const json::exception&) {
    }
    if (parsed && document.is_object() && document.contains("command")) {
      if (document["command"] != "verify")
        throw malformed(input.name, "a document of command " + document["command"].dump() + ", not verify");
      documents.push_back(read_verify_shard(input, std::move(document)));
    } else {
      line_files.push_back(&input);
    }
  }
  if (!documents.empty() && !line_files.empty())
    throw malformed(line_files.front()->name, "not a verify --json document, as " + documents.front().input->name +
                                                  " is: the shards of one run are all verify documents or all JSON Lines");
  if (!documents.empty()) return merge_verify(std::move(documents));
  return merge_lines(inputs);
}

}  // namespace seprank
