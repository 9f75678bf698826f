// boex-pfn-train: pre-trains the PFN surrogate on tasks drawn from the HEBO-like GP prior and
// writes a checkpoint (surrogates/pfn_checkpoint.h). CPU, deterministic given --seed and
// --threads 1: batch t is drawn from seed mix(seed, t), so a resumed run continues exactly where
// an uninterrupted one would be.
//
// Recipe (PFNs4BO's, scaled to a CPU): AdamW with linear warm-up then cosine decay to zero,
// gradient-norm clipping, bucket borders from prior samples, the bar-distribution NLL of the test
// points as loss. Per step, n training points are drawn (3/4 of steps in 1..max_train/2, the rest
// in the upper half) and each task has max(seq_len, n + min_test) points.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "core/rng.h"
#include "surrogates/gp_prior_sampler.h"
#include "surrogates/pfn_evaluation.h"
#include "surrogates/pfn_network.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Recipe {
  std::uint64_t seed = 1;
  long steps = 20000;
  int batch_size = 64;
  double lr = 1e-3;
  long warmup = 1000;
  double weight_decay = 0.0;
  double clip = 1.0;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  int seq_len = 60;
  int min_test = 20;
  int border_tasks = 3000;

  nlohmann::json to_json() const {
    return {{"seed", seed},         {"steps", steps},       {"batch_size", batch_size},
            {"lr", lr},             {"warmup", warmup},     {"schedule", "linear warm-up, cosine to 0"},
            {"weight_decay", weight_decay}, {"clip", clip}, {"betas", {beta1, beta2}},
            {"eps", eps},           {"seq_len", seq_len},   {"min_test", min_test},
            {"border_tasks", border_tasks},
            {"n_train", "3/4 of steps U{1..max_train/2}, else U{max_train/2+1..max_train}; "
                        "points per task max(seq_len, n + min_test)"},
            {"loss", "mean bar-distribution NLL of the normalised test targets"},
            {"optimizer", "AdamW (decoupled weight decay), fp32"}};
  }
};

nlohmann::json prior_json(const boex::GpPriorOptions& p) {
  return {{"kernel", "matern32 ARD, zero mean"},
          {"lengthscale", {{"gamma_shape", p.lengthscale_shape}, {"gamma_rate", p.lengthscale_rate}}},
          {"outputscale", {{"gamma_shape", p.outputscale_shape}, {"gamma_rate", p.outputscale_rate}}},
          {"noise_variance", {{"lognormal_mean", p.noise_log_mean}, {"lognormal_std", p.noise_log_std}}},
          {"unused_feature_probability", p.unused_feature_probability},
          {"x", "uniform [0,1]^d, d ~ U{1..max_features} per task"}};
}

// The number of training points and the task length of step `step`.
std::pair<int, int> draw_shape(boex::Rng& rng, const Recipe& r, const boex::PfnConfig& c) {
  const int half = std::max(1, c.max_train_points / 2);
  int n;
  if (c.max_train_points == 1 || rng.uniform() < 0.75)
    n = 1 + static_cast<int>(rng.index(half));
  else
    n = half + 1 + static_cast<int>(rng.index(c.max_train_points - half));
  return {n, std::max(r.seq_len, n + r.min_test)};
}

double learning_rate(const Recipe& r, long step) {
  if (step < r.warmup) return r.lr * (step + 1) / r.warmup;
  const double progress = static_cast<double>(step - r.warmup) / std::max(1L, r.steps - r.warmup);
  return r.lr * 0.5 * (1.0 + std::cos(M_PI * std::min(progress, 1.0)));
}

std::string format_duration(double seconds) {
  const long s = static_cast<long>(seconds);
  std::ostringstream out;
  out << s / 3600 << "h" << std::setw(2) << std::setfill('0') << (s / 60) % 60 << "m" << std::setw(2) << s % 60 << "s";
  return out.str();
}

Eigen::VectorXd prior_borders(const boex::GpPriorSampler& sampler, const Recipe& r, const boex::PfnConfig& c) {
  std::vector<double> samples;
  boex::Rng rng(boex::mix_seed(r.seed, 0xB0DE5ULL));
  for (int t = 0; t < r.border_tasks; ++t) {
    const auto [n, T] = draw_shape(rng, r, c);
    const int d = 1 + static_cast<int>(rng.index(c.max_features));
    const boex::GpPriorTask task = sampler.sample(rng, T, d);
    const double s = boex::pfn_output_scale(task.y.head(n), c.y_scale_offset);
    for (int i = n; i < T; ++i) samples.push_back(task.y(i) / s);
  }
  return boex::BarDistribution::borders_from_samples(std::move(samples), c.n_buckets);
}

struct AdamState {
  std::vector<torch::Tensor> m, v;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"boex-pfn-train: pre-train the PFN surrogate on GP-prior tasks (CPU)."};
  Recipe r;
  boex::PfnConfig c;
  std::string out = "models/pfn-v1.boexpfn", log_path, init_from, export_path;
  bool resume = false;
  int threads = 1, eval_every = 1000, log_every = 100;
  long session_steps_limit = 0;
  double checkpoint_minutes = 5.0;
  app.add_option("--out", out, "final checkpoint path; OUT.resume holds the resumable state")->capture_default_str();
  app.add_flag("--resume", resume, "continue from OUT.resume (same recipe and model required)");
  app.add_option("--export-weights", export_path,
                 "with --resume: write the run's current weights as a checkpoint to this file and stop (to "
                 "evaluate or try a run before it ends)");
  app.add_option("--init-from", init_from,
                 "start from a finished checkpoint's weights and borders (a further stage: give it its own --seed)");
  app.add_option("--steps", r.steps, "optimizer steps")->capture_default_str();
  app.add_option("--batch-size", r.batch_size, "tasks per step")->capture_default_str();
  app.add_option("--lr", r.lr, "peak learning rate")->capture_default_str();
  app.add_option("--warmup", r.warmup, "linear warm-up steps")->capture_default_str();
  app.add_option("--weight-decay", r.weight_decay, "AdamW decoupled weight decay")->capture_default_str();
  app.add_option("--clip", r.clip, "gradient-norm clip")->capture_default_str();
  app.add_option("--seq-len", r.seq_len, "points per task (at least)")->capture_default_str();
  app.add_option("--min-test", r.min_test, "test points per task (at least)")->capture_default_str();
  app.add_option("--border-tasks", r.border_tasks, "prior tasks sampled for the bucket borders")->capture_default_str();
  app.add_option("--seed", r.seed, "seed of weights, borders and batches")->capture_default_str();
  app.add_option("--max-features", c.max_features, "largest input dimension")->capture_default_str();
  app.add_option("--max-train", c.max_train_points, "largest training set")->capture_default_str();
  app.add_option("--d-model", c.d_model, "transformer width")->capture_default_str();
  app.add_option("--layers", c.n_layers, "encoder layers")->capture_default_str();
  app.add_option("--heads", c.n_heads, "attention heads")->capture_default_str();
  app.add_option("--d-ff", c.d_ff, "feed-forward width")->capture_default_str();
  app.add_option("--decoder-hidden", c.decoder_hidden, "decoder hidden width")->capture_default_str();
  app.add_option("--buckets", c.n_buckets, "bar-distribution buckets")->capture_default_str();
  app.add_option("--session-steps", session_steps_limit,
                 "stop after this many steps, leaving OUT.resume to continue from (0 = run to the end)");
  app.add_option("--threads", threads, "torch intra-op threads (1 = deterministic)")->capture_default_str();
  app.add_option("--checkpoint-minutes", checkpoint_minutes, "minutes between resumable checkpoints")->capture_default_str();
  app.add_option("--eval-every", eval_every, "steps between NLL-vs-oracle evaluations (0 = never)")->capture_default_str();
  app.add_option("--log", log_path, "append a progress line every --log-every steps to this file");
  app.add_option("--log-every", log_every, "steps between log lines")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    c.validate();
    if (r.steps < 1 || r.batch_size < 1 || !(r.lr > 0) || r.warmup < 1 || r.clip <= 0 || r.seq_len < 2 ||
        r.min_test < 1 || r.border_tasks < 1 || threads < 1)
      throw boex::InvalidArgument("steps, batch-size, lr, warmup, clip, min-test, border-tasks, threads must be positive; seq-len >= 2");
    torch::set_num_threads(threads);
    const boex::GpPriorSampler sampler;
    const std::string resume_path = out + ".resume";
    nlohmann::json recipe = {{"trainer", "boex-pfn-train"}, {"prior", prior_json(sampler.options())},
                             {"training", r.to_json()}};
    if (!init_from.empty()) {
      // The earlier stage's whole recipe travels along, so the shipped header tells every stage.
      const boex::PfnCheckpoint first = boex::read_pfn_checkpoint(init_from);
      if (!(boex::PfnConfig::from_json(first.config) == c))
        throw boex::InvalidArgument("--init-from: " + init_from + " has another model configuration than the options");
      recipe["training"]["init_from"] = first.recipe;
    }

    long step = 0;
    double elapsed_before = 0;  // wall seconds of earlier sessions
    std::unique_ptr<boex::PfnModel> model;
    AdamState adam;
    nlohmann::json history = nlohmann::json::array();
    if (resume) {
      const boex::PfnCheckpoint state = boex::read_pfn_checkpoint(resume_path);
      if (!(boex::PfnConfig::from_json(state.config) == c))
        throw boex::InvalidArgument("--resume: the model options differ from " + resume_path + "'s");
      if (state.recipe.at("prior") != recipe["prior"] || state.recipe.at("training") != recipe["training"])
        throw boex::InvalidArgument("--resume: the training recipe differs from " + resume_path + "'s");
      step = state.recipe.at("progress").at("step").get<long>();
      elapsed_before = state.recipe.at("progress").at("wall_seconds").get<double>();
      history = state.recipe.at("progress").value("evaluations", nlohmann::json::array());
      model = std::make_unique<boex::PfnModel>(
          c, Eigen::Map<const Eigen::VectorXd>(state.borders.data(), state.borders.size()), r.seed);
      std::vector<boex::NamedArray> weights, m, v;
      for (const auto& t : state.tensors) {
        if (t.name.rfind("adam.m.", 0) == 0) m.push_back(t);
        else if (t.name.rfind("adam.v.", 0) == 0) v.push_back(t);
        else weights.push_back(t);
      }
      model->set_parameters(weights);
      auto params = model->impl().network->named_parameters();
      for (std::size_t i = 0; i < params.size(); ++i) {
        if (i >= m.size() || i >= v.size() || m[i].name != "adam.m." + params[i].key() || v[i].name != "adam.v." + params[i].key())
          throw boex::SchemaError(resume_path + ": optimizer state does not match the parameters");
        adam.m.push_back(torch::from_blob(m[i].data.data(), params[i].value().sizes(), torch::kFloat32).clone());
        adam.v.push_back(torch::from_blob(v[i].data.data(), params[i].value().sizes(), torch::kFloat32).clone());
      }
      std::cerr << "resuming " << resume_path << " at step " << step << "\n";
    } else {
      if (!init_from.empty())
        model = std::make_unique<boex::PfnModel>(boex::PfnModel::load(init_from));
      else
        model = std::make_unique<boex::PfnModel>(c, prior_borders(sampler, r, c), r.seed);
      for (const auto& p : model->impl().network->parameters()) {
        adam.m.push_back(torch::zeros_like(p));
        adam.v.push_back(torch::zeros_like(p));
      }
    }
    boex::PfnNetwork net = model->impl().network;
    const boex::BarDistribution& bar = model->bar();
    std::vector<torch::Tensor> params = net->parameters();

    boex::PfnEvaluationOptions eval_options;
    eval_options.tasks_per_size = 25;
    eval_options.max_features = c.max_features;
    eval_options.seed = boex::mix_seed(r.seed, 0xE7A1ULL);  // a fixed validation set, never trained on

    std::ofstream log;
    if (!log_path.empty()) log.open(log_path, std::ios::app);
    const bool tty = isatty(STDOUT_FILENO);
    std::cerr << "model " << model->parameter_count() << " parameters; " << c.to_json().dump() << "\n";

    auto save_state = [&](const std::string& path, bool with_optimizer, double wall) {
      boex::PfnCheckpoint state;
      state.config = c.to_json();
      state.borders.assign(bar.borders().data(), bar.borders().data() + bar.borders().size());
      state.recipe = recipe;
      state.recipe["progress"] = {{"step", step}, {"wall_seconds", wall}, {"evaluations", history},
                                  {"parameters", model->parameter_count()}};
      state.tensors = model->parameters();
      if (with_optimizer) {
        auto named = net->named_parameters();
        for (std::size_t i = 0; i < named.size(); ++i) {
          for (const auto& [prefix, t] : {std::pair{"adam.m.", adam.m[i]}, std::pair{"adam.v.", adam.v[i]}}) {
            boex::NamedArray a;
            a.name = prefix + named[i].key();
            a.shape.assign(t.sizes().begin(), t.sizes().end());
            const torch::Tensor ct = t.contiguous();
            a.data.assign(ct.data_ptr<float>(), ct.data_ptr<float>() + ct.numel());
            state.tensors.push_back(std::move(a));
          }
        }
      }
      boex::write_pfn_checkpoint(path, state);
    };

    if (!export_path.empty()) {
      if (!resume) throw boex::InvalidArgument("--export-weights needs --resume (it exports OUT.resume's weights)");
      save_state(export_path, false, elapsed_before);
      std::cout << nlohmann::json{{"checkpoint", export_path}, {"steps", step}}.dump() << std::endl;
      return 0;
    }

    const auto start = Clock::now();
    auto last_checkpoint = start;
    double loss_sum = 0;
    long loss_count = 0, skipped = 0, session_steps = 0;
    while (step < r.steps && (session_steps_limit <= 0 || session_steps < session_steps_limit)) {
      boex::Rng rng(boex::mix_seed(r.seed, static_cast<std::uint64_t>(step)));
      const auto [n, T] = draw_shape(rng, r, c);
      const boex::GpPriorBatch batch = sampler.sample_batch(rng, r.batch_size, T, 1, c.max_features, n);
      const boex::PfnBatchTensors x = boex::pfn_batch_tensors(batch, c);
      const torch::Tensor logits = net->forward(x.x_train, x.y_train, x.log_scale, x.x_test);
      const torch::Tensor loss = boex::bar_negative_log_likelihood(logits, x.y_test, bar).mean();
      const double loss_value = loss.item<double>();
      const double lr = learning_rate(r, step);
      if (std::isfinite(loss_value)) {
        net->zero_grad();
        loss.backward();
        torch::nn::utils::clip_grad_norm_(params, r.clip);
        torch::NoGradGuard no_grad;
        const double t = static_cast<double>(step + 1);
        const double c1 = 1.0 - std::pow(r.beta1, t), c2 = 1.0 - std::pow(r.beta2, t);
        for (std::size_t i = 0; i < params.size(); ++i) {
          const torch::Tensor& g = params[i].grad();
          adam.m[i].mul_(r.beta1).add_(g, 1.0 - r.beta1);
          adam.v[i].mul_(r.beta2).addcmul_(g, g, 1.0 - r.beta2);
          if (r.weight_decay > 0) params[i].mul_(1.0 - lr * r.weight_decay);
          params[i].addcdiv_(adam.m[i], (adam.v[i] / c2).sqrt_().add_(r.eps), -lr / c1);
        }
        loss_sum += loss_value;
        ++loss_count;
      } else if (++skipped > 100) {
        throw boex::NumericalError("more than 100 steps with a non-finite loss; lower --lr");
      }
      ++step;
      ++session_steps;

      const double session_seconds = std::chrono::duration<double>(Clock::now() - start).count();
      const double eta = session_seconds / session_steps * (r.steps - step);
      const bool log_now = step % log_every == 0 || step == r.steps;
      std::string eval_text;
      if (eval_every > 0 && (step % eval_every == 0 || step == r.steps)) {
        const auto rows = boex::evaluate_pfn_nll(*model, eval_options);
        nlohmann::json e = {{"step", step}};
        std::ostringstream text;
        text << " gap";
        for (const auto& row : rows) {
          e[row.n_train == 0 ? "all" : std::to_string(row.n_train)] = {row.pfn_nll, row.oracle_nll};
          text << " " << (row.n_train == 0 ? std::string("all") : "n" + std::to_string(row.n_train)) << "="
               << std::fixed << std::setprecision(3) << row.gap();
        }
        history.push_back(e);
        eval_text = text.str();
      }
      if (log_now || !eval_text.empty()) {
        std::ostringstream line;
        line << "step " << step << "/" << r.steps << " loss " << std::fixed << std::setprecision(4)
             << (loss_count ? loss_sum / loss_count : NAN) << " lr " << std::scientific << std::setprecision(2) << lr
             << " elapsed " << format_duration(elapsed_before + session_seconds) << " eta " << format_duration(eta)
             << eval_text;
        if (log.is_open()) log << line.str() << std::endl;
        if (tty) std::cout << "\r" << line.str() << "\x1b[K" << std::flush;
        if (log_now) loss_sum = 0, loss_count = 0;
      }
      if (std::chrono::duration<double>(Clock::now() - last_checkpoint).count() > 60.0 * checkpoint_minutes) {
        save_state(resume_path, true, elapsed_before + session_seconds);
        last_checkpoint = Clock::now();
      }
    }
    const double wall = elapsed_before + std::chrono::duration<double>(Clock::now() - start).count();
    save_state(resume_path, true, wall);
    if (step == r.steps) save_state(out, false, wall);
    if (tty) std::cout << "\n";
    std::cout << nlohmann::json{{"checkpoint", step == r.steps ? out : resume_path}, {"steps", step}, {"wall_seconds", wall},
                                {"parameters", model->parameter_count()}}
                     .dump()
              << std::endl;
    return 0;
  } catch (const boex::Error& e) {
    std::cerr << "boex-pfn-train: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "boex-pfn-train: " << e.what() << "\n";
    return 1;
  }
}
