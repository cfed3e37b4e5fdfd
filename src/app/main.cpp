#include <iostream>

int main() {
  std::cout << "tradebridge\n";
  return 0;
}
